import io
import json
from pathlib import Path

from posko.triage.cli import main


def run(argv: list[str], stdin_text: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(stdin_text), out, err)
    return code, out.getvalue(), err.getvalue()


def test_jsonl_in_order_with_bad_lines_reported() -> None:
    lines = [
        json.dumps(
            {
                "id": "a",
                "text": "ada tawuran di pasar gantung sekarang",
                "received_at": "2025-01-01T10:00:00+07:00",
            }
        ),
        "{not json",
        json.dumps({"id": 7, "text": "makasih pak polisi"}),
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": "x", "received_at": "kemarin"}),
        json.dumps(
            {
                "id": "e",
                "text": "tawuran pasar gantung bawa parang",
                "channel": "telepon",
                "received_at": "2025-01-01T10:04:00+07:00",
            }
        ),
    ]
    code, out, err = run([], "\n".join(lines) + "\n")
    assert code == 1
    rows = [json.loads(x) for x in out.splitlines()]
    assert [r["id"] for r in rows] == ["a", "7", "e"]
    assert list(rows[0]) == [
        "id",
        "category",
        "priority",
        "tone",
        "kecamatan_code",
        "desa_code",
        "unit",
        "incident",
    ]
    assert rows[0]["incident"] == rows[2]["incident"] == "I1"
    assert rows[1]["incident"] is None
    assert "line 2" in err and "line 4" in err and "line 5" in err
    assert "line 1:" not in err


def test_clean_input_exits_zero() -> None:
    code, out, err = run([], json.dumps({"id": "1", "text": "info jadwal SIM keliling"}) + "\n")
    assert code == 0 and err == ""
    assert json.loads(out)["category"] == "pelayanan"


def test_eval_prints_metrics(tmp_path: Path) -> None:
    gold = [
        {
            "id": "1",
            "text": "ada tawuran bawa sajam di desa kelubi sekarang",
            "category": "kekerasan",
            "priority": "darurat",
            "tone": "netral",
            "kecamatan_code": "19.06.01",
            "desa_code": "19.06.01.2004",
            "incident": None,
        },
        {
            "id": "2",
            "text": "terima kasih pak polisi",
            "category": "apresiasi",
            "priority": "rendah",
            "tone": "apresiasi",
            "kecamatan_code": None,
            "desa_code": None,
            "incident": None,
        },
    ]
    f = tmp_path / "gold.jsonl"
    f.write_text("\n".join(json.dumps(g) for g in gold) + "\n")
    code, out, _ = run(["eval", str(f)])
    assert code == 0
    assert "macro-F1" in out and "darurat: recall 1.000" in out
    code, out, _ = run(["eval", str(f), "--json"])
    m = json.loads(out)
    assert m["category"]["accuracy"] == 1.0
    assert m["desa_accuracy"] == 1.0 and m["false_location_rate"] == 0.0


def test_eval_missing_file() -> None:
    code, _, err = run(["eval", "/nonexistent/x.jsonl"])
    assert code == 2 and "cannot read" in err
