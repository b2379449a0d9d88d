"""Compiled templates are kept between processes (lostcontact.templating.template_cache): a second process
renders from the cache exactly what the first compiled, a changed template is compiled anew, and a cache
that cannot be used is no cache, never an error."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jinja2 import DictLoader, Environment, FileSystemBytecodeCache

from lostcontact import templating

ROOT = Path(__file__).resolve().parents[1]

RENDER_A_NOTICE = """
from datetime import date
from lostcontact.notices.render import render_pair
text, html = render_pair("alerts", org={"code": "B1", "name": "第一党支部"}, as_of=date(2016, 3, 1),
                         alerts=[("提醒", "环节期限", "案件 7", date(2016, 3, 9))], subject="【督办】")
print(text + html)
"""


def render_in_a_new_process(tmp_path: Path, cache: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "TMPDIR": str(tmp_path), "PYTHONPATH": str(ROOT),
           "LOSTCONTACT_TEMPLATE_CACHE": cache}
    return subprocess.run([sys.executable, "-c", RENDER_A_NOTICE], env=env, capture_output=True, text=True,
                          check=True).stdout


def cached_files(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.glob("_jinja2-cache-*/lostcontact-*.cache"))


def test_a_second_process_renders_the_notice_from_the_compiled_templates_the_first_left(tmp_path):
    first = render_in_a_new_process(tmp_path, "on")
    files = cached_files(tmp_path)
    assert len(files) == 2  # the notice's .txt and .html
    stamps = [f.stat().st_mtime_ns for f in files]
    assert render_in_a_new_process(tmp_path, "on") == first
    assert [f.stat().st_mtime_ns for f in cached_files(tmp_path)] == stamps  # read, not compiled and written again
    assert render_in_a_new_process(tmp_path, "off") == first  # and what the templates render without a cache


def test_the_cache_can_be_turned_off(tmp_path):
    render_in_a_new_process(tmp_path, "off")
    assert cached_files(tmp_path) == []


def test_a_changed_template_is_compiled_anew_not_taken_from_the_cache(tmp_path):
    cache = FileSystemBytecodeCache(str(tmp_path))
    templates = {"t.txt": "旧 {{ x }}"}
    first = Environment(loader=DictLoader(templates), bytecode_cache=cache)
    assert first.get_template("t.txt").render(x=1) == "旧 1"
    templates["t.txt"] = "新 {{ x }}"
    assert Environment(loader=DictLoader(templates), bytecode_cache=cache).get_template("t.txt").render(x=1) == "新 1"


def test_a_cache_that_cannot_be_written_is_no_cache_and_no_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # tempfile reads TMPDIR again
    cache = templating.template_cache()
    assert cache is not None and Path(cache.directory).parent == tmp_path
    Path(cache.directory).rmdir()  # removed under the running process: nothing can be read or written there
    env = Environment(loader=DictLoader({"t.txt": "{{ x }}号"}), bytecode_cache=cache)
    assert env.get_template("t.txt").render(x=3) == "3号"
    assert not Path(cache.directory).exists()


def test_the_cache_is_turned_off_by_the_environment_variable(monkeypatch):
    monkeypatch.setenv("LOSTCONTACT_TEMPLATE_CACHE", "off")
    assert templating.template_cache() is None
