"""Numbers typed as arguments beyond any stored id are usage errors (exit 2, both languages), never an overflow
inside the database driver (exit 1)."""
import pytest

BEYOND = ["2147483648", "9223372036854775808", "18446744073709551616", "9" * 40, "0"]


@pytest.mark.parametrize("number", BEYOND)
@pytest.mark.parametrize("command", [("case", "show", "{n}"),
                                     ("case", "fire", "{n}", "start_search", "--actor", "admin1"),
                                     ("case", "log", "{n}", "--channel", "relatives", "--outcome", "reached",
                                      "--actor", "admin1"),
                                     ("render", "record", "{n}"),
                                     ("case", "attach", "1", "{file}", "--entry", "{n}", "--actor", "admin1")],
                         ids=["show", "fire", "log", "record", "attach --entry"])
def test_an_id_beyond_any_stored_one_is_a_usage_error(cli, tmp_path, command, number):
    evidence = tmp_path / "evidence.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = cli(*(part.format(n=number, file=evidence) for part in command))
    assert result.exit_code == 2, result.output
    assert "须为 1 到 2147483647 之间的整数" in result.output and "from 1 to 2147483647" in result.output
