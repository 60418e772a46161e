"""Regenerate src/prongsai/agencies/data/thailand.json: Thailand's 77 provinces and their districts.

The data comes from the PyPI package geothai (its geothai/_data/provinces.json and districts.json,
from GeoThai/data, CC-BY-4.0, names and codes of the Department of Provincial Administration). It is
read from the wheel, not installed: Prongsai needs only the names, not the package.

    pip download --no-deps geothai==3.2.1 -d /tmp/geothai
    python tools/geography_data.py /tmp/geothai/geothai-3.2.1-py3-none-any.whl

Bangkok's districts are เขต (the data spells the word into the name); the file keeps the bare name
and says which word goes before it (`district_word`), as for every other province (อำเภอ).
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "prongsai" / "agencies" / "data" / "thailand.json"
BANGKOK = "10"


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as zf:
        provinces = json.loads(zf.read("geothai/_data/provinces.json"))
        districts = json.loads(zf.read("geothai/_data/districts.json"))
        version = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA")).split("-")[1].split(".dist")[0]
    out = {
        "source": {
            "package": f"geothai {version} (PyPI), data from GeoThai/data https://github.com/GeoThai/data",
            "licence": "CC-BY-4.0 (data), Copyright (c) 2026 Pongsakorn Thipayanate; administrative codes and "
                       "names from the Department of Provincial Administration (กรมการปกครอง) "
                       "https://stat.bora.dopa.go.th/",
            "converted_by": "tools/geography_data.py",
        },
        "provinces": [],
    }
    for code, name, name_en in provinces:
        rows = []
        for dcode, dname, dname_en in districts:
            if dcode[:2] != code:
                continue
            if code == BANGKOK and dname.startswith("เขต"):
                dname = dname[len("เขต"):]
            rows.append([dcode, dname, dname_en])
        out["provinces"].append({"code": code, "name": name, "name_en": name_en,
                                 "district_word": "เขต" if code == BANGKOK else "อำเภอ", "districts": rows})
    text = json.dumps(out, ensure_ascii=False, indent=None, separators=(",", ":"))
    # one province a line, so a data update reads as a short diff
    text = text.replace(',{"code"', ',\n{"code"')
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{OUT}: {len(out['provinces'])} provinces, {sum(len(p['districts']) for p in out['provinces'])} districts")


if __name__ == "__main__":
    main(sys.argv[1])
