"""Entry point: `accord [FILE]`, `accord --demo`, or a subcommand (see `app.cli`).

The window is shown and painted before the domain modules are imported (they take most of
the start-up time), then the workshop is opened.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from models.steps import STEPS
from models.version import app_version


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="accord",
        description="Accord: sales and marketing alignment workshops. Subcommands: new, definitions "
        "export|import, sign, revision new, import-leads, score, check, export, compare, verify "
        "(accord COMMAND --help).",
    )
    parser.add_argument("--version", action="version", version=f"accord {app_version()}")
    parser.add_argument("file", nargs="?", type=Path, help="workshop file (.accord) to open")
    parser.add_argument("--demo", action="store_true", help="open a fresh copy of the demo workshop")
    parser.add_argument("--read-only", action="store_true", help="open the file without changing it")
    parser.add_argument("--step", choices=[s.key for s in STEPS], help="step to show first")
    parser.add_argument("--presentation", action="store_true", help="start in presentation mode")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from app.cli import COMMANDS

    if argv and argv[0] in COMMANDS:
        from app.cli import run

        return run(argv)
    args = _gui_parser().parse_args(argv)
    if args.file is not None and not args.file.exists():
        print(f"accord: {args.file}: no such file", file=sys.stderr)
        return 1
    return _run_gui(args)


def _run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    from app.mainwindow import MainWindow
    from app.theme import apply_theme

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Accord")
    app.setOrganizationName("Accord")
    apply_theme(app)
    window = MainWindow()
    probe = os.environ.get("ACCORD_STARTUP_PROBE")

    def after_first_paint() -> None:
        if probe:
            # Benchmarks: report the wall-clock time of the first paint; with "ready", go on
            # to open the workshop and report when every page is built; then stop.
            print(f"first_paint_epoch {time.time():.6f}", flush=True)
            if probe != "ready":
                app.quit()
                return
        if args.demo:
            window.files.open_demo()
        elif args.file is not None:
            window.open_path(args.file, read_only=args.read_only)
        else:
            window.statusBar().showMessage("No workshop open")
        if args.step:
            window.step_list.setCurrentRow([s.key for s in STEPS].index(args.step))
        if args.presentation:
            window.toggle_presentation()

    if probe == "ready":

        def ready() -> None:
            print(f"workshop_ready_epoch {time.time():.6f}", flush=True)
            app.quit()

        window.workshopOpened.connect(ready)
    window.firstPaint.connect(after_first_paint)
    screen = app.primaryScreen()
    if screen is not None:
        window.setGeometry(screen.availableGeometry())
    window.showMaximized()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
