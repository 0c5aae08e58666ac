"""The program's version: shown to support, written into the Windows executable and installer."""

VERSION = "1.0.0"
