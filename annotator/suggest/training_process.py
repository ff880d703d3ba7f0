"""Train the learned model in background processes, so neither the window nor the database
worker waits for it.

:func:`train_in_background` runs :func:`~annotator.suggest.training.train_model` in a separate
process (``multiprocessing``, "spawn" context: no fork of a process with Qt and database
threads), or two at once (entities and claims) where there are two cores, reports each epoch
through a queue, and terminates the processes on cancel.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import queue as queue_module
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from annotator.core.errors import OperationCancelled
from annotator.core.progress import CancelToken
from annotator.suggest.training import (
    LAYERS,
    MIN_DOCUMENTS,
    TrainedModel,
    TrainingConfig,
    TrainingDocument,
    TrainingError,
    TrainingProgress,
    merge_models,
    split_keys,
    train_model,
)

__all__ = ["train_in_background"]


def _child(
    documents: list[dict[str, Any]],
    config: dict[str, Any],
    layers: list[str],
    held_out_keys: list[str],
    channel: Any,
) -> None:
    """Entry point of a training process: progress and the result go back through
    ``channel``, tagged with the layers trained; every failure comes back as a message,
    never as a silent exit."""
    tag = "+".join(layers)
    try:
        if hasattr(os, "nice"):
            # Training is background work: the annotator's window keeps the CPU it needs.
            os.nice(5)
        model = train_model(
            [TrainingDocument.from_dict(d) for d in documents],
            TrainingConfig.from_dict(config),
            progress=lambda p: channel.put((tag, "progress", dataclasses.asdict(p))),
            held_out_keys=held_out_keys,
            layers=layers,
        )
        channel.put((tag, "result", {"data": model.data, "metrics": model.metrics}))
    except TrainingError as exc:
        channel.put((tag, "failed", str(exc)))
    except BaseException as exc:
        # Reported to the parent, which raises it; a silent exit would look like a crash.
        channel.put((tag, "error", "".join(traceback.format_exception(exc))))


def train_in_background(
    documents: Sequence[TrainingDocument],
    config: TrainingConfig | None = None,
    *,
    progress: Callable[[TrainingProgress], None] | None = None,
    cancel: CancelToken | None = None,
    poll_seconds: float = 0.1,
    on_start: Callable[[list[int]], None] | None = None,
) -> TrainedModel:
    """Train in separate processes and wait for them, polling ``cancel`` every
    ``poll_seconds``: cancelling terminates the processes and raises
    :class:`OperationCancelled`. The calling thread only waits (call it from a worker thread,
    never the UI thread or the database worker). ``on_start`` receives the process ids.

    With ``config.parallel`` and two or more cores, entities and claims train in two processes
    at once, on the same held-out split (chosen here).
    """
    import multiprocessing

    config = config or TrainingConfig()
    keys = sorted({doc.key for doc in documents})
    if len(keys) < MIN_DOCUMENTS:
        # Fail fast, without starting a process that would say the same after a second.
        raise TrainingError(
            f"training needs at least {MIN_DOCUMENTS} done documents (one is held out to "
            f"measure the model); the project has {len(keys)}"
        )
    _, held_keys = split_keys(keys, config.held_out, config.seed)
    layers = list(LAYERS) if config.claims else ["entities"]
    if config.parallel and len(layers) > 1 and (os.cpu_count() or 1) >= 2:
        groups = [[layer] for layer in layers]
    else:
        groups = [layers]
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    channel = context.Queue()
    payload = [doc.to_dict() for doc in documents]
    processes = [
        context.Process(
            target=_child,
            args=(payload, config.to_dict(), group, held_keys, channel),
            name=f"annotator-training-{'+'.join(group)}",
            daemon=True,
        )
        for group in groups
    ]
    by_tag = {"+".join(group): process for group, process in zip(groups, processes, strict=True)}
    results: dict[str, TrainedModel] = {}
    try:
        with _ctrl_c_ignored_by_children():
            for process in processes:
                process.start()
        if on_start is not None:
            on_start([p.pid for p in processes if p.pid is not None])
        while len(results) < len(processes):
            if cancel is not None and cancel.cancelled:
                raise OperationCancelled("training cancelled")
            try:
                tag, kind, message = channel.get(timeout=poll_seconds)
            except queue_module.Empty:
                if all(p.is_alive() for tag, p in by_tag.items() if tag not in results):
                    continue
                # A process may have put its last message just before exiting.
                try:
                    tag, kind, message = channel.get(timeout=1.0)
                except queue_module.Empty:
                    codes = ", ".join(f"{p.name}: {p.exitcode}" for p in processes)
                    raise TrainingError(
                        f"a training process stopped unexpectedly (exit codes {codes})"
                    ) from None
            if kind == "progress":
                if progress is not None:
                    progress(TrainingProgress(**message))
            elif kind == "result":
                results[tag] = TrainedModel(message["data"], message["metrics"])
            elif kind == "failed":
                raise TrainingError(message)
            else:
                raise TrainingError(f"training failed in the background process:\n{message}")
        for process in processes:
            process.join(timeout=10)
    finally:
        _stop(processes)
        channel.close()
    parts = [results["+".join(group)] for group in groups]
    if len(parts) == 1:
        return parts[0]
    return merge_models(parts, seconds=time.perf_counter() - started)


@contextlib.contextmanager
def _ctrl_c_ignored_by_children() -> Iterator[None]:
    """Start processes with Ctrl+C ignored (they inherit it): a terminal sends Ctrl+C to every
    process of the command, and the parent alone decides, cancelling and terminating them; a
    child would otherwise print a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change signal handling (the window's workers)
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop(processes: Sequence[Any]) -> None:
    """Terminate what still runs (cancel, failure), then release every process handle."""
    for process in processes:
        if process.pid is not None and process.is_alive():
            process.terminate()
    for process in processes:
        if process.pid is None:
            continue
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
        process.close()
