import statediff
from fakes import FakeEmbedder


def test_compare_reports_a_changed_figure_as_modified(fake_embedder: FakeEmbedder) -> None:
    old = "The Committee decided to raise the target range to 5-1/4 to 5-1/2 percent. Inflation remains elevated."
    new = "The Committee decided to raise the target range to 5-1/2 to 5-3/4 percent. Inflation remains elevated."
    c = statediff.compare(old, new, embedder=fake_embedder)
    assert [ch.kind for ch in c.changes] == ["modified", "unchanged"]
    assert ["-", "5-1/4"] in c.to_dict()["changes"][0]["ops"]
