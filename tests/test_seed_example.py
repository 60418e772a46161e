"""The examples: the real one is faithful to the seed report, the fictional one exercises the gap analysis.

The seed is the text extracted from เทศบาลตำบลแร่'s FY 2563 6-month report, kept outside the repository
(../shared/seed/*.txt). Its table cells were extracted with line breaks turned into spaces and wrapped
in <p> fragments, so text is compared with all whitespace and those tags removed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from prongsai.lib import fiscal
from prongsai.reports import wording

REPO = Path(__file__).resolve().parents[1]
SEED_DIR = REPO.parent / "shared" / "seed"
EXAMPLES = REPO / "examples"
SEED_EXAMPLE = EXAMPLES / "tessaban-rae-2563.yaml"
FICTIONAL_EXAMPLE = EXAMPLES / "sao-nong-bua-2566.yaml"

# The framework's indicator names (ITA 2563), for the analysis sentence.
INDICATORS = {
    1: "การปฏิบัติหน้าที่",
    2: "การใช้งบประมาณ",
    3: "การใช้อำนาจ",
    4: "การใช้ทรัพย์สินของราชการ",
    5: "การแก้ไขปัญหาการทุจริต",
    6: "คุณภาพการดำเนินงาน",
    7: "ประสิทธิภาพการสื่อสาร",
    8: "การปรับปรุงระบบการทำงาน",
    9: "การเปิดเผยข้อมูล",
    10: "การป้องกันการทุจริต",
}

# Keys whose values are codes, not text the report prints.
CODE_KEYS = {"slug", "kind", "digits", "version"}

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def squash(text: str) -> str:
    """Drop the extraction's <p> tags and every whitespace character."""
    return re.sub(r"\s+", "", re.sub(r"</?p>", "", text))


def thai(value) -> str:
    return str(value).translate(THAI_DIGITS)


# The shortest piece of a cell that may stand alone in the seed (see `occurs`).
MIN_PIECE = 20


def occurs(text: str, seed: str) -> bool:
    """Whether a cell's text is the seed's.

    Two layouts of the original split one cell's text in the extraction: a vertically merged cell is
    spread over the rows it spans (one numbered step per row), and a row continued across a page
    break puts the rest of each cell after the next page's start. So each line is checked on its own,
    and a line may be split once into two pieces of at least MIN_PIECE characters, found in order."""
    for line in text.splitlines():
        piece = squash(line)
        if not piece or piece in seed:
            continue
        if not any(
            (at := seed.find(piece[:k])) != -1 and seed.find(piece[k:], at + k) != -1
            for k in range(MIN_PIECE, len(piece) - MIN_PIECE + 1)
        ):
            return False
    return True


@pytest.fixture(scope="module")
def seed() -> str:
    assert SEED_DIR.is_dir(), f"seed directory {SEED_DIR} is missing: the seed report is needed to check the example"
    files = sorted(SEED_DIR.glob("*.txt"))
    assert files, f"no seed report (*.txt) in {SEED_DIR}"
    texts = [f.read_text(encoding="utf-8") for f in files]
    matching = [t for t in texts if "เทศบาลตำบลแร่" in t]
    assert matching, f"none of {[f.name for f in files]} is เทศบาลตำบลแร่'s report"
    assert len(matching) == 1, "more than one seed report mentions เทศบาลตำบลแร่"
    return squash(matching[0])


@pytest.fixture(scope="module")
def data() -> dict:
    assert SEED_EXAMPLE.is_file(), f"{SEED_EXAMPLE} is missing"
    return yaml.safe_load(SEED_EXAMPLE.read_text(encoding="utf-8"))


def strings(node, path: str = ""):
    """Every non-empty string in a YAML tree, with its path, skipping codes."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in CODE_KEYS:
                continue
            yield from strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from strings(value, f"{path}[{i}]")
    elif isinstance(node, str) and node.strip():
        yield path, node


def placeholders(data: dict) -> dict[str, str]:
    """The values the wording templates' placeholders stand for in the seed report."""
    agency = data["agency"]
    fy = data["fiscal_year"]
    summary = "มีประเด็นที่ต้องพัฒนาให้ดีขึ้น ได้แก่ " + " ".join(
        "ตัวชี้วัด" + (item["label"] if isinstance(item, dict) else INDICATORS[item])
        for item in data["analysis"]["improve"]
    )
    return {
        "agency": agency["name"],
        "office": agency["office_name"],
        "district": agency["district"],
        "province": agency["province"],
        "location": f"อำเภอ{agency['district']} จังหวัด{agency['province']}",
        "fiscal_year": thai(fy),
        "prior_year": thai(data["analysis"]["based_on"]),
        "round_label": fiscal.round_of(fy, 6).label(),
        "period": fiscal.round_of(fy, 6).period(),
        "summary": summary,
    }


def fill(template: str, values: dict[str, str]) -> str:
    """A template filled in, digits written the Thai way as the agency's documents write them."""
    return thai(wording.fill(template, values))


def test_every_text_value_is_in_the_seed(data, seed):
    checked = {
        "agency": data["agency"],
        "analysis": data["analysis"],
        "measures": data["measures"],
        "reports": data["reports"],
    }
    found = list(strings(checked))
    assert len(found) > 100, "too few strings collected: the walk is broken"
    missing = [f"{path}: {text!r}" for path, text in found if not occurs(text, seed)]
    assert not missing, "not in the seed report:\n" + "\n".join(missing)


def test_no_invented_scores(data):
    assert "ita_results" not in data, "the seed report gives no ITA scores"


def title_positions(data: dict, seed: str) -> list[int]:
    """Where each measure's title starts in the measures table, in order, and where the table ends."""
    pos = seed.index(squash("ตัวชี้วัด/มาตรการ"))
    end = seed.index(squash("รายละเอียดมีดังนี้"))
    out = []
    for measure in data["measures"]:
        title = squash(measure["title"])
        at = seed.find(title, pos)
        assert at != -1 and at < end, f"measure {measure['title']!r} is not next in the measures table"
        out.append(at)
        pos = at + len(title)
    return out + [end]


def test_measure_titles_in_table_order(data, seed):
    title_positions(data, seed)
    assert len(data["measures"]) == 9


def test_cells_in_their_rows(data, seed):
    """Each measure's cells are in its own row of the table: แนวทางการปฏิบัติ, ขั้นตอน, then ผู้รับผิดชอบ
    and การกำกับติดตาม with its rounds. Equal cells of consecutive measures are one merged cell,
    found within the rows the group spans."""
    starts = title_positions(data, seed)
    measures = data["measures"]

    def cells(measure: dict) -> dict[str, str]:
        rounds = "".join(f" -รอบ {thai(r)} เดือน" for r in measure["rounds"])
        return {
            "guideline": measure["guideline"],
            "steps": measure["steps"],
            "responsible+monitoring": f"{measure['responsible']} {measure['monitoring']}{rounds}",
        }

    for key in cells(measures[0]):
        i = 0
        while i < len(measures):
            value = cells(measures[i])[key]
            j = i
            while j + 1 < len(measures) and cells(measures[j + 1])[key] == value:
                j += 1
            rows = seed[starts[i] : starts[j + 1]]
            assert occurs(value, rows), f"{measures[i]['title']}: {key} {value!r} is not in its row(s)"
            i = j + 1


def test_results_in_table_order(data, seed):
    pos = seed.index(squash("รายละเอียดมีดังนี้"))
    for measure in data["measures"]:
        results = [r for r in measure["results"] if r["round"] == 6]
        assert len(results) == 1, f"{measure['title']}: expected one round-6 result"
        result = results[0]
        for field in ("label", "details", "period", "outputs", "outcomes"):
            text = result.get(field) or (measure["title"] if field == "label" else "")
            assert text, f"{measure['title']}: empty {field}"
            at = seed.find(squash(text), pos)
            assert at != -1, f"{measure['title']}: result {field} {text!r} is not next in the results table"
            pos = at + len(squash(text))


def test_merged_cells_are_identical(data):
    first_six = data["measures"][:6]
    for key in ("steps", "responsible", "monitoring", "rounds"):
        values = {repr(m[key]) for m in first_six}
        assert len(values) == 1, f"the merged {key} cell differs among the first six measures"


def test_memo(data, seed):
    (report,) = data["reports"]
    memo = report["memo"]
    assert report["round"] == 6
    assert squash(f"ที่ {data['agency']['doc_prefix']}/{thai(memo['number'])}") in seed
    assert str(memo["date"]) == "2020-06-26" and squash("วันที่ ๒๖ มิถุนายน ๒๕๖๓") in seed
    assert str(report["preface_date"]) == "2020-06-24" and squash("๒๔ มิถุนายน ๒๕๖๓") in seed
    assert [p["name"] for p in memo["preparers"]] == ["นางสาวปราณี จันทไชย", "นายปราโมทย์ แกมนิรัตน์"]
    assert [a["name"] for a in memo["approvers"]] == ["นายวัชร สำนับ", "ทวี จันทเสนา", "นางครสวรรค์ สุพัฒนานนท์"]
    assert memo["approvers"][1]["rank"] == "จ.อ."
    for signer in memo["preparers"] + memo["approvers"]:
        assert squash(f"({signer['name']}) ตำแหน่ง {signer['position']}") in seed, signer["name"]
    assert not any(a.get("comment") for a in memo["approvers"]), "the comments are hand-written in the original"
    assert squash(f"ลงชื่อ ผู้จัดทำ ({report['preparer']['name']}) ตำแหน่ง{report['preparer']['position']}") in (
        seed.replace(".", "")
    )


def test_memo_text_is_the_seeds(data, seed):
    """Subject, addressee and body: the file's own, or else the wording templates in force."""
    memo = data["reports"][0]["memo"]
    values = placeholders(data)
    templates = wording.merged(data=data)
    subject = memo.get("subject") or fill(templates["memo_subject"], values)
    addressee = memo.get("addressee") or data["agency"]["executive_title"]
    body = memo.get("body") or [fill(t, values) for t in templates["memo_body"]]
    assert len(body) == 3
    expected = f"เรื่อง {subject} เรียน {addressee} " + " ".join(body) + " (" + memo["preparers"][0]["name"] + ")"
    assert squash(expected) in seed, f"the memo does not read as the seed's:\n{expected}"


def test_wording_templates_fill_to_the_seed(data, seed):
    values = placeholders(data)
    assert set(data["wording"]) == {"cover_title", "preface", "analysis", "results_intro"}
    templates = wording.merged(data=data)
    for key in ("cover_title", "preface", "analysis", "results_intro"):
        texts = templates[key] if isinstance(templates[key], list) else [templates[key]]
        for template in texts:
            filled = fill(template, values)
            assert squash(filled) in seed, f"{key}: filled template is not in the seed:\n{filled}"
    # The preface's two paragraphs in a row, then the office and the preface date.
    preface = " ".join(fill(t, values) for t in templates["preface"])
    assert squash(f"คำนำ {preface} {values['office']} ๒๔ มิถุนายน ๒๕๖๓") in seed
    # The cover: title, then the round line from the round math, the agency and its location.
    cover = (
        f"{fill(templates['cover_title'], values)} {values['round_label']} ({values['period']})"
        f" {values['agency']} {values['location']}"
    )
    assert squash(cover) in seed
    # The analysis sentence is followed by the measures table.
    assert squash(fill(templates["analysis"], values) + " ตัวชี้วัด/มาตรการ") in seed


@pytest.fixture(scope="module")
def fictional() -> tuple[str, dict]:
    assert FICTIONAL_EXAMPLE.is_file(), f"{FICTIONAL_EXAMPLE} is missing"
    text = FICTIONAL_EXAMPLE.read_text(encoding="utf-8")
    return text, yaml.safe_load(text)


def test_fictional_example_computes_its_analysis(fictional):
    text, data = fictional
    assert "FICTIONAL" in text.split("\n", 1)[0], "the header must say the agency is fictional"
    assert "analysis" not in data, "the analysis must be computed from the scores"
    assert data["agency"]["kind"] == "sao" and data["agency"]["digits"] == "arabic"
    (result,) = [r for r in data["ita_results"] if r["year"] == data["fiscal_year"] - 1]
    scores = result["indicators"]
    assert sorted(scores) == list(range(1, 11))
    assert any(s < 75 for s in scores.values()), "no urgent weak point (score below 75)"
    assert any(75 <= s < 85 for s in scores.values()), "no point to improve (75 to below 85)"
    assert not re.search("[๐-๙]", text), "the fictional agency writes Arabic digits"
    report = {r["round"]: r for r in data["reports"]}[12]
    assert len(report["memo"]["approvers"]) == 3
    assert any(3 in m["rounds"] and 9 in m["rounds"] for m in data["measures"]), "no 3- and 9-month follow-up"
    for measure in data["measures"]:
        rounds = [r["round"] for r in measure["results"]]
        assert rounds == measure["rounds"], f"{measure['title']}: a result for every monitored round"
