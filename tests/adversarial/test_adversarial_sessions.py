"""Two sessions on the real "Your data" page (AppTest): same file name, different content — each sees
only its own numbers; hostile uploads show a sentence, never a traceback; a large paste still works."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.read import safety

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "app_pages" / "upload.py"
pytestmark = pytest.mark.usefixtures("own_store")




def session() -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.query_params["lang"] = "en"
    return at.run()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="upload_file").upload(name, data, "text/csv")
    return at.run()


def seen(at: AppTest) -> str:
    """Every text and table cell the page shows."""
    parts = [str(e.value) for kind in ("markdown", "caption", "error", "warning", "info", "success", "subheader",
                                        "header", "title") for e in getattr(at, kind)]
    for df in at.dataframe:
        parts.append(df.value.to_csv())
    return "\n".join(parts)


def test_two_sessions_same_file_name_never_see_each_other() -> None:
    a, b = session(), session()
    upload(a, "data.csv", "Область;Сумма\nНарын;111111\nТалас;1\n".encode())
    upload(b, "data.csv", "Область;Сумма\nНарын;222222\nТалас;2\n".encode())
    assert not a.exception and not b.exception
    key_a, key_b = a.session_state["upload_last"], b.session_state["upload_last"]
    assert key_a == "upload:" + safety.content_key("Область;Сумма\nНарын;111111\nТалас;1\n".encode())
    assert key_a != key_b
    assert list(a.session_state["user_datasets"]) == [key_a]
    assert list(b.session_state["user_datasets"]) == [key_b]
    assert "111111" in seen(a) and "222222" not in seen(a)
    assert "222222" in seen(b) and "111111" not in seen(b)
    # a third, fresh session sees neither table
    c = session()
    assert "user_datasets" not in c.session_state or not c.session_state["user_datasets"]
    assert "111111" not in seen(c) and "222222" not in seen(c)


def test_reupload_with_one_cell_changed_shows_the_new_number() -> None:
    at = session()
    rows = "".join(f"Нарын;{i % 5}\n" for i in range(2000))
    upload(at, "data.csv", ("Область;Сумма\n" + rows + "Талас;31415\n").encode())
    assert "31415" in seen(at)
    at.file_uploader(key="upload_file").set_value(None)
    at.run()
    upload(at, "data.csv", ("Область;Сумма\n" + rows + "Талас;27182\n").encode())
    assert not at.exception
    assert "27182" in seen(at) and "31415" not in seen(at)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("data.csv", b"MZ\x90\x00" + b"\x00" * 300, "This file is a Windows program, not a table or a map file"),
        ("../../etc/passwd.csv", b"PK\x03\x04" + b"\x13" * 300, "The zip file is damaged"),
        ("<img src=x onerror=alert(1)>.csv", b"Region;N\n", "no data rows"),
    ],
)
def test_hostile_upload_shows_a_sentence_not_a_traceback(name: str, data: bytes, message: str) -> None:
    at = upload(session(), name, data)
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any(message in e for e in errors), errors
    assert all("Traceback" not in e and 'File "' not in e for e in errors)


def test_large_paste_is_read_and_matched() -> None:
    """An oversized widget value (a 20,000-row paste, ~300 KB) is read, matched and summed."""
    at = session()
    rows = "".join(f"{name}\t{1}\n" for name in ("Нарын", "Талас", "Баткен", "Чуй") for _ in range(5000))
    at.text_area(key="upload_paste").input("Область\tN\n" + rows)
    at.run(timeout=120)
    assert not at.exception
    # the map's table: duplicates summed per region, 5,000 rows each
    final = at.dataframe[-1].value
    assert dict(zip(final["region_code"], final["N"], strict=True)) == {"KG-N": 5000, "KG-T": 5000, "KG-B": 5000,
                                                                        "KG-C": 5000}
