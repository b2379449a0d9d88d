"""The Mermaid diagram in docs/lifecycle.md is the lifecycle machine, and is kept up to date."""
import re

from transitions import Machine

from statemachines import diagram, lifecycle


def _edges(text: str) -> dict[tuple[str, str], str]:
    """(source, dest) -> the label of that arrow in a Mermaid state diagram."""
    return {(m[1], m[2]): m[3] for m in re.finditer(r"^\s*(\w+) --> (\w+): (.*)$", text, re.MULTILINE)}


def test_the_committed_diagram_matches_the_machine():
    committed = diagram.DOC_PATH.read_text(encoding="utf-8")
    assert committed == diagram.render_markdown(), (
        "docs/lifecycle.md is stale: run `python -m statemachines.diagram` and commit the result")


def test_every_transition_of_the_runtime_machine_is_an_arrow_with_its_trigger():
    edges = _edges(diagram.mermaid())
    drawn = 0
    for name, event in lifecycle.MACHINE.events.items():
        for source, transitions in event.transitions.items():
            for transition in transitions:
                label = edges.get((source, transition.dest))
                assert label is not None, f"no arrow {source} --> {transition.dest}"
                assert f"{name} {lifecycle.TRIGGERS[name]}" in label
                drawn += 1
    assert drawn == sum(len(t["source"]) if isinstance(t["source"], list) else 1 for t in lifecycle.TRANSITIONS)


def test_every_state_is_drawn_with_its_chinese_name_and_the_initial_state_is_lost_contact():
    text = diagram.mermaid()
    for name, label in lifecycle.STATES.items():
        assert f'state "{label} {name}" as {name}' in text
    assert "[*] --> lost_contact" in text


def test_chain_dependent_destinations_show_their_guard():
    edges = _edges(diagram.mermaid())
    assert "[chain_has_upper]" in edges[("committee_prereview", "upper_prereview")]
    assert "[!chain_has_upper]" in edges[("committee_prereview", "meeting_resolution")]


def test_drawing_leaves_the_runtime_machine_unbound():
    diagram.mermaid()
    assert type(lifecycle.MACHINE) is Machine
    assert lifecycle.MACHINE.models == []


def test_the_command_writes_the_markdown_file(tmp_path):
    target = tmp_path / "docs" / "lifecycle.md"
    diagram.main(["-o", str(target)])
    assert target.read_text(encoding="utf-8") == diagram.render_markdown()
    assert "```mermaid\n---\ntitle: " in target.read_text(encoding="utf-8")
