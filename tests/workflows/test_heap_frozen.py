"""A sweep keeps the objects alive at its start out of the collector's full collections for its length
(`heap_frozen`, workflows/orchestration.py). The freeze is process-wide: two sweeps overlapping in one process
share it, and it lasts until the last of them ends, not the first."""
from __future__ import annotations

import gc
import threading

from workflows.orchestration import heap_frozen


def test_a_run_freezes_the_heap_for_its_length_and_hands_it_back_after():
    assert gc.get_freeze_count() == 0
    with heap_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_a_run_that_ends_first_leaves_the_heap_frozen_for_the_run_still_going():
    first_in, second_in, first_out, second_may_end = (threading.Event() for _ in range(4))
    frozen_while_second_alone = []

    def first():
        with heap_frozen():
            first_in.set()
            second_in.wait()
        first_out.set()

    def second():
        first_in.wait()
        with heap_frozen():
            second_in.set()
            first_out.wait()
            frozen_while_second_alone.append(gc.get_freeze_count())
            second_may_end.wait()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_out.wait()
    second_may_end.set()
    for thread in threads:
        thread.join()
    [count] = frozen_while_second_alone
    assert count > 0
    assert gc.get_freeze_count() == 0


def test_a_run_that_fails_still_hands_the_heap_back():
    try:
        with heap_frozen():
            raise RuntimeError("the run failed")
    except RuntimeError:
        pass
    assert gc.get_freeze_count() == 0
