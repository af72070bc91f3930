"""F-screens kept for the agent's session: composing a screen is most of its opening, so
the app builds each one once and shows it again, its data read afresh at each showing."""

from __future__ import annotations

from collections.abc import Callable

from textual.events import ScreenResume

from ecrans.widgets import PremiereReprise


class EcranGarde(PremiereReprise):
    """A screen the app keeps (`GuichetApp.montrer_garde`): each showing calls `rouvrir`,
    which puts it back as a new one would be (filters, cursor, focus) with fresh data.
    Back from a screen it pushed itself (a decision, a detail), `rouvrir` is not called."""

    _a_rouvrir = True  # the first showing reads its data
    _deja_rouvert = False  # (put back as new before its push: nothing left for the resume)
    _theme_vu: str | None = None
    prepare_avant = False  # built ahead by the app (not at an opening)

    def a_rouvrir(self) -> None:
        """Called by the app just before it shows the screen again. Mounted (shown before,
        or built ahead): put back as new at once, not at its resume, which comes after a
        key typed together with the F-key (PgSuiv: the next month) and would undo it."""
        self._a_rouvrir = True
        if self.is_mounted:
            self.rouvrir()
            self._deja_rouvert = True

    def __init_subclass__(cls, **kwargs) -> None:
        # Every kept screen says how it is put back as new: checked when the class is made
        # (at import), not when an agent opens it.
        super().__init_subclass__(**kwargs)
        if not callable(getattr(cls, "rouvrir", None)):
            raise TypeError(f"{cls.__name__} : un écran gardé définit rouvrir()")

    rouvrir: Callable[[], None]  # (each kept screen's own: filters, cursor, focus, data)

    def preremplir(self) -> None:
        """Built ahead: fill now what costs most to fill (a DataTable), so that the first
        showing, reading its data again, finds it done. Nothing by default."""

    def on_mount(self) -> None:
        # (runs after the screen's own on_mount)
        if self.prepare_avant:
            self.preremplir()
            self.call_after_refresh(self._disposer_d_avance)

    def _disposer_d_avance(self) -> None:
        """Built ahead: laid out hidden at the app's size, as the family file is, so that
        its first showing is not also its first layout."""
        from ecrans.compat_textual import disposer_ecran, disposition_faite

        if self.is_attached and not self.is_current and disposer_ecran(self, *self.app.size):
            disposition_faite(self)

    def on_screen_resume(self, event: ScreenResume) -> None:
        # (runs before PremiereReprise's and Screen's own handlers)
        if not self._a_rouvrir:
            return
        self._a_rouvrir = False
        if self._repris:
            # Shown again: Screen restyles every widget on a resume, needed only if the
            # theme changed while the screen was away.
            event.refresh_styles = self._theme_vu != self.app.theme  # type: ignore[attr-defined]
        self._theme_vu = self.app.theme  # type: ignore[attr-defined]
        if not self._deja_rouvert:
            self.rouvrir()
        self._deja_rouvert = False
