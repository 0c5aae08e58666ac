"""The two kinds of failure a user may see, besides database environment problems.

`InputError` (exit code 2): the user gave something wrong; the message names it.
`OperationError` (exit code 1): the action cannot be done now (wrong status, file not writable…).
Anything else is a bug: it goes to the crash log.
"""
from __future__ import annotations


class MotCuaError(Exception):
    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InputError(MotCuaError):
    exit_code = 2


class OperationError(MotCuaError):
    exit_code = 1
