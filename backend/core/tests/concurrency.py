"""Running a function in many threads at once, each with its own database connection."""

import threading
from collections.abc import Callable

from django.db import connection


def run_in_parallel(count: int, target: Callable[[int], object]) -> list[object]:
    """Results (or raised exceptions) of target(0..count-1), all released at the same moment."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def worker(index: int) -> None:
        try:
            connection.ensure_connection()  # connecting takes longer than the race itself
            barrier.wait(timeout=30)
            results[index] = target(index)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


class FailedStatements:
    """An execute wrapper (connection.execute_wrapper) that keeps every statement the
    database refused: with PostgreSQL's default logging each would be an ERROR line with
    the statement's text."""

    def __init__(self):
        self.errors: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        except Exception as error:
            self.errors.append(f"{type(error).__name__}: {error}")
            raise
