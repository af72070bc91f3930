"""The Textual application, its login, search, palette and command line."""

import os

# Frames at most 1/120 s apart (Textual's default is 1/60): after a key, the screen shows
# its update up to 8 ms sooner. Set before Textual is imported; the environment can override.
os.environ.setdefault("TEXTUAL_FPS", "120")
