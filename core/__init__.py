"""Shared kernel: code every app may use; it imports no app."""
