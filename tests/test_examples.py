"""The committed examples: equal to what the code generates, readable, and a correct tree.

Besides validating with the rule engine, the data is checked here directly (directions,
cascading types, codes, owners, budgets) so that the examples stay a trustworthy reference
for the rules themselves.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import zipfile

import pytest

from pohon_xl.cli import main
from pohon_xl.core.validate import validate
from pohon_xl.errors import InputError
from pohon_xl.excel import examples as E
from pohon_xl.excel.read import read_raw
from pohon_xl.findings import Severity
from pohon_xl.model import contract as C
from pohon_xl.model.numbers import format_number
from pohon_xl.model.parse import parse_workbook
from tests.test_template import assert_same_workbook

IDS = [ex.filename for ex in E.EXAMPLES]
# The seed's budget per office for the PK year; the L5 budgets of each office sum to these.
PARIWISATA_PAGU_PK = {
    "Satuan Polisi Pamong Praja": 4_000_000_000,
    "Dinas Koperasi dan Usaha Kecil Menengah": 2_000_000_000,
    "Dinas Pariwisata": 3_000_000_000,
    "Dinas Perhubungan": 1_500_000_000,
    "Dinas Pekerjaan Umum dan Penataan Ruang": 2_300_000_000,
    "Dinas Lingkungan Hidup": 900_000_000,
}
# A sasaran is phrased as a condition: Meningkatnya…, Menurunnya…, Terlaksananya…, …
CONDITION = re.compile(r"^(Me|Ber|Ter|Pe)[a-z-]*nya\b")
# Allowed Jenis Jabatan of an owner per level (seed 002, "Skema").
OWNER_KINDS = {
    1: {C.KEPALA_DAERAH},
    2: {"JPT"},
    3: {"Administrator"},
    4: {"Administrator", "Pengawas", "Fungsional"},
    5: {"Pengawas", "Fungsional", "Pelaksana"},
    6: set(C.JENIS_JABATAN_VALUES),
}


@pytest.fixture(scope="module", params=E.EXAMPLES, ids=IDS)
def example(request):
    return request.param


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return dict(zip(IDS, E.write_examples(tmp_path_factory.mktemp("contoh"))))


def _nodes(example):
    return {node.id: (level, node) for level, node in example.nodes()}


def _targets(indicator, years):
    return E.targets_by_year(indicator, years)


def test_committed_example_matches_the_code(example, generated):
    assert_same_workbook(E.EXAMPLES_DIR / example.filename, generated[example.filename])


def test_example_parses_completely(example):
    path = E.EXAMPLES_DIR / example.filename
    plan = parse_workbook(read_raw(path), source=path.name)
    assert plan.orphan_rows == []
    assert all(info.present and not info.missing_columns for info in plan.sheets.values())
    assert plan.pk_year == example.pk_year and plan.years == list(example.years)
    for level, nodes in example.levels.items():
        parsed = plan.nodes_on(level)
        assert [n.id for n in parsed] == [n.id for n in nodes]
        for node, read in zip(nodes, parsed):
            assert len(read.indicators) == len(node.indicators), node.id
            if level == C.SUBKEGIATAN_LEVEL:
                assert read.budget(example.pk_year) == node.budgets[1], node.id
    assert [p.code for p in plan.positions] == [p.code for p in example.positions]
    assert all(p.nip == q.nip for p, q in zip(plan.positions, example.positions))  # as text


def test_example_validates_without_galat(example):
    plan = parse_workbook(read_raw(E.EXAMPLES_DIR / example.filename))
    report, _ = validate(plan)
    galat = [f for f in report.findings if f.severity is Severity.GALAT]
    assert galat == [], "\n".join(f"{f.code} {f.location.sheet}!{f.location.row}: {f.message}"
                                  for f in galat)


def test_positions(example):
    by_code = {p.code: p for p in example.positions}
    assert len(by_code) == len(example.positions)
    for position in example.positions:
        assert position.kind in C.JENIS_JABATAN_VALUES
        assert position.holder
        if position.kind == C.KEPALA_DAERAH:
            assert not position.superior
            continue
        assert position.superior in by_code, position.code
        assert re.fullmatch(r"(19|20)\d{6}(19|20)\d{4}[12]\d{3}", position.nip), position.code


def test_tree_links_owners_and_codes(example):
    nodes = _nodes(example)
    by_code = {p.code: p for p in example.positions}
    for node_id, (level, node) in nodes.items():
        assert CONDITION.match(node.sasaran), node.sasaran
        owner = by_code[node.owner]
        assert owner.kind in OWNER_KINDS[level], (node_id, owner.kind)
        for code in filter(None, (c.strip() for c in node.collaborators.split(","))):
            assert code in by_code, (node_id, code)
        if level == 1:
            assert not node.parent and not node.cascading
            continue
        parent_level, parent = nodes[node.parent]
        assert parent_level == level - 1, node_id
        assert node.cascading in C.CASCADING_VALUES, node_id
        if level == C.RHK_LEVEL:
            assert by_code[parent.owner].code == owner.superior, node_id
        spec = C.LEVEL_BY_NUMBER[level]
        if spec.code_header:
            assert node.code and node.code_name, node_id
        if level in (C.KEGIATAN_LEVEL, C.SUBKEGIATAN_LEVEL):
            assert node.code.startswith(parent.code + "."), (node_id, node.code, parent.code)
        if level == C.SUBKEGIATAN_LEVEL:
            assert re.fullmatch(r"\d\.\d{2}\.\d{2}\.2\.\d{2}\.\d{4}", node.code), node.code
            assert len(node.budgets) == len(example.years)
            assert all(100_000_000 <= b <= 50_000_000_000 for b in node.budgets), node_id


def test_every_strategic_node_reaches_budgeted_subactivities(example):
    nodes = _nodes(example)
    children: dict[str, list[str]] = {}
    for node_id, (_, node) in nodes.items():
        children.setdefault(node.parent, []).append(node_id)

    def reaches_l5(node_id):
        level, node = nodes[node_id]
        if level == C.SUBKEGIATAN_LEVEL:
            return node.budgets[1] > 0
        return any(reaches_l5(child) for child in children.get(node_id, []))

    for node_id, (level, _) in nodes.items():
        if level <= 4:
            assert reaches_l5(node_id), node_id
    for node_id, (level, node) in nodes.items():
        current = node
        while current.parent:
            current = nodes[current.parent][1]
        assert nodes[current.id][0] == 1, node_id


def test_targets_follow_direction_and_outcomes_are_not_activity_counts(example):
    for level, node in example.nodes():
        for indicator in node.indicators:
            assert indicator.arah in C.ARAH_VALUES
            if level <= 3:
                assert not indicator.name.casefold().startswith("jumlah kegiatan")
            values = [indicator.baseline] if indicator.baseline is not None else []
            values += list(_targets(indicator, example.years).values())
            pairs = list(zip(values, values[1:]))
            if indicator.arah == C.ARAH_NAIK:
                assert all(a <= b for a, b in pairs), (node.id, indicator.name)
            else:
                assert all(a >= b for a, b in pairs), (node.id, indicator.name)
            if level == C.RHK_LEVEL:
                assert indicator.aspek in C.ASPEK_VALUES, node.id
                assert set(_targets(indicator, example.years)) == {example.pk_year}


def test_cascading_types_are_used_correctly(example):
    nodes = _nodes(example)
    used = set()
    shares: dict[str, list] = {}
    for node_id, (level, node) in nodes.items():
        if level == 1:
            continue
        used.add(node.cascading)
        parent = nodes[node.parent][1]
        first, parent_first = node.indicators[0], parent.indicators[0]
        if node.cascading == C.LANGSUNG:
            assert node.indicators == (parent_first,), node_id
        elif node.cascading == C.BERBAGI:
            assert (first.name, first.unit, first.arah) == (
                parent_first.name, parent_first.unit, parent_first.arah), node_id
            shares.setdefault(node.parent, []).append(first)
        elif level < C.RHK_LEVEL:
            names = {i.name for i in parent.indicators}
            assert all(i.name not in names for i in node.indicators), node_id
    for parent_id, parts in shares.items():
        whole = nodes[parent_id][1].indicators[0]
        for year in example.years:
            total = sum(_targets(p, example.years)[year] for p in parts)
            assert total <= _targets(whole, example.years)[year] + 1e-9, (parent_id, year)
        assert sum(p.baseline for p in parts) <= whole.baseline + 1e-9
    assert {C.LANGSUNG, C.BERBAGI, C.KONTRIBUSI} <= used


def test_kemacetan_shape():
    counts = {level: len(nodes) for level, nodes in E.KEMACETAN.levels.items()}
    assert set(counts) == {1, 2, 3, 4, 5, 6} and 40 <= sum(counts.values()) <= 70
    (root,) = E.KEMACETAN.levels[1]
    assert root.sasaran == "Menurunnya kemacetan" and len(root.indicators) >= 2
    offices = {E.office_of(E.KEMACETAN, n.owner) for n in E.KEMACETAN.levels[2]}
    assert offices == {"Dinas Perhubungan", "Dinas Pekerjaan Umum dan Penataan Ruang"}
    codes = {n.code for n in E.KEMACETAN.levels[3]}
    assert codes == {"2.15.02", "1.03.10"}
    multi = [n.id for _, n in E.KEMACETAN.nodes() if len(n.indicators) > 1]
    assert len(multi) >= 5
    decimals = [t for _, n in E.KEMACETAN.nodes() for i in n.indicators
                for t in _targets(i, E.KEMACETAN.years).values() if not float(t).is_integer()]
    assert decimals


def test_pariwisata_budgets_and_targets_follow_the_seed():
    totals = E.budget_totals(E.PARIWISATA)
    assert {office: years[E.PARIWISATA.pk_year] for office, years in totals.items()} == (
        PARIWISATA_PAGU_PK)
    pk = {i.name: _targets(i, E.PARIWISATA.years)[E.PARIWISATA.pk_year]
          for _, n in E.PARIWISATA.nodes() for i in n.indicators}
    seed = {
        "Persentase UMKM yang sehat": 70,
        "Angka kriminalitas di kawasan wisata": 5,
        "Kontribusi sektor pariwisata terhadap PDRB": 10,
        "Jumlah kunjungan wisatawan": 6,  # juta kunjungan
        "Jumlah UMKM baru": 2000,
        "Persentase potensi kriminalitas yang dapat dicegah": 90,
        "Jumlah destinasi wisata yang memenuhi standar": 40,
        "Indeks aksesibilitas": 8,
        "Persentase penumpang yang terlayani angkutan umum": 90,
        "Persentase jalan dalam kondisi mantap": 80,
        "Persentase jalan dalam kondisi baik": 90,
        "Indeks Kualitas Lingkungan Hidup": 80,
        "Persentase ekosistem dalam kondisi terjaga": 80,
    }
    assert {name: pk[name] for name in seed} == seed
    positions = {p.code: p for p in E.PARIWISATA.positions}
    staff = {positions[n.owner].name for n in E.PARIWISATA.levels[6]}
    assert staff == {"Pengelola Layanan Operasional (Staf A)",
                     "Penata Layanan Operasional (Staf B)",
                     "Operator Layanan Operasional (Staf C)"}


def test_budget_totals_in_the_module_docstring_are_current():
    doc = E.__doc__
    for example in E.EXAMPLES:
        totals = E.budget_totals(example)
        grand = {y: sum(t[y] for t in totals.values()) for y in example.years}
        for years in [*totals.values(), grand]:
            line = r"\s+".join(re.escape(format_number(years[y])) for y in example.years)
            assert re.search(line, doc), f"ringkasan anggaran di docstring usang: {years}"


# --- the office's workbook, the workbook with mistakes, the inbox ----------------------------
INBOX = E.EXAMPLES_DIR / "kotak_masuk"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Every generated file, by its path under examples/."""
    root = tmp_path_factory.mktemp("semua")
    return {path.relative_to(root): path for path in E.write_examples(root)}


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _attachments(path):
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    headers = {key: str(message[key]) for key in ("From", "To", "Date", "Subject")}
    return headers, {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def _same_workbook_bytes(committed: bytes, generated: bytes, tmp_path, name):
    (tmp_path / "a").mkdir(exist_ok=True)
    (tmp_path / "b").mkdir(exist_ok=True)
    (tmp_path / "a" / name).write_bytes(committed)
    (tmp_path / "b" / name).write_bytes(generated)
    assert_same_workbook(tmp_path / "a" / name, tmp_path / "b" / name)


def test_committed_office_mistakes_and_inbox_match_the_code(written, tmp_path):
    committed = {p.relative_to(E.EXAMPLES_DIR) for p in INBOX.iterdir()}
    assert committed == {name for name in written if name.parent.name == INBOX.name}
    for name, generated in written.items():
        path = E.EXAMPLES_DIR / name
        if name.suffix == ".xlsx" and "Dinkes" not in name.name:
            assert_same_workbook(path, generated)
        elif name.suffix == ".zip":
            old, new = _members(path), _members(generated)
            assert list(old) == list(new)
            for member in old:
                _same_workbook_bytes(old[member], new[member], tmp_path, member)
        elif name.suffix == ".eml":
            (old_headers, old), (new_headers, new) = _attachments(path), _attachments(generated)
            assert old_headers == new_headers and list(old) == list(new)
            for member in old:
                _same_workbook_bytes(old[member], new[member], tmp_path, member)
        else:  # the broken file: a workbook cut off after its first bytes
            assert path.stat().st_size == generated.stat().st_size
            with pytest.raises(InputError):
                read_raw(path)


def test_office_workbook_links_its_l2_to_the_body():
    path = E.EXAMPLES_DIR / E.OFFICE.filename
    plan = parse_workbook(read_raw(path), source=path.name)
    assert plan.identity.text(C.KEY_PERANGKAT_DAERAH) == "Dinas Perhubungan"
    assert not plan.nodes_on(1) and plan.nodes_on(2)
    body_l1 = {node.id for node in E.KEMACETAN.levels[1]}
    assert {node.parent_id for node in plan.nodes_on(2)} <= body_l1
    offices = {E.office_of(E.KEMACETAN, p.code) for p in E.OFFICE.positions}
    assert offices == {"Dinas Perhubungan"}
    report, _ = validate(plan)
    assert not [f for f in report.findings if f.severity is not Severity.INFO]


def test_validasi_reports_every_mistake(tmp_path, capsys):
    assert 8 <= len(E.MISTAKES.mistakes) <= 12
    assert len({m.rule for m in E.MISTAKES.mistakes}) == len(E.MISTAKES.mistakes)
    code = main(["validasi", str(E.EXAMPLES_DIR / E.MISTAKES.filename),
                 "-o", str(tmp_path / "hasil.xlsx"), "--json"])
    assert code == 1
    found = {(f["kode"], f["id"]) for f in json.loads(capsys.readouterr().out)["temuan"]}
    for mistake in E.MISTAKES.mistakes:
        node_id = str(mistake.set.get("id", mistake.node))
        assert (mistake.rule, node_id) in found, mistake.what


@pytest.mark.slow
def test_batch_on_the_inbox(tmp_path, capsys):
    code = main(["batch", str(INBOX), "-o", str(tmp_path / "batch"), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 1  # the broken file
    status = {item["berkas"]: item["status"] for item in result["berkas"]}
    assert status.pop("Pohon_Kinerja_OPD_Dinkes.xlsx") == "Tidak terbaca"
    assert set(status.values()) == {"Diterima"} and len(status) == 4
    assert any(name.endswith(".zip/Pohon_Kinerja_OPD_PUPR.xlsx") for name in status)
    assert any(name.endswith(".eml/Pohon_Kinerja_OPD_Satpol_PP.xlsx") for name in status)
    findings = result["temuan_batch"] + [f for item in result["berkas"] for f in item["temuan"]]
    assert [f for f in findings if f["tingkat"] != "Info"] == []
