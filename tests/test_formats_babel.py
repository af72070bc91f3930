"""modele/formats.py writes money, numbers, durations and dates itself (babel is off the
app's path): its output is babel's in fr_FR, checked here over wide ranges."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from modele.formats import LOCALE, date_longue, duree, mois_annee, montant, nombre

RACINE = Path(__file__).resolve().parent.parent


def test_chaque_jour_d_une_annee_bissextile():
    jour = dt.date(2024, 1, 1)
    while jour.year == 2024:
        assert date_longue(jour) == format_date(jour, "EEEE d MMMM y", locale=LOCALE)
        assert mois_annee(jour) == format_date(jour, "MMMM y", locale=LOCALE).capitalize()
        jour += dt.timedelta(days=1)


@given(st.dates())
def test_dates_comme_babel(jour):
    assert date_longue(jour) == format_date(jour, "EEEE d MMMM y", locale=LOCALE)
    assert mois_annee(jour) == format_date(jour, "MMMM y", locale=LOCALE).capitalize()


def test_montants_de_moins_un_million_a_plus_d_un_million():
    for centimes in (*range(-100_000_000, 100_000_001, 99_991), *range(-2_000, 2_001)):
        attendu = format_decimal(Decimal(centimes) / 100, format="#,##0.00", locale=LOCALE)
        assert montant(centimes) == attendu


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False))
def test_montants_non_entiers_comme_babel(centimes):
    attendu = format_decimal(Decimal(centimes) / 100, format="#,##0.00", locale=LOCALE)
    assert montant(centimes) == attendu


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_nombres_comme_babel(valeur):
    assert nombre(valeur) == format_decimal(valeur, locale=LOCALE)


def test_durees_courtes_au_centieme_pres():
    for centiemes in range(0, 1_000):
        secondes = centiemes / 100
        assert duree(secondes) == f"{format_decimal(round(secondes, 1), locale=LOCALE)} s"


@given(st.floats(min_value=0, max_value=10, exclude_max=True))
def test_durees_courtes_comme_babel(secondes):
    assert duree(secondes) == f"{format_decimal(round(secondes, 1), locale=LOCALE)} s"


def test_ni_babel_ni_stdnum_dans_l_application():
    """The domain and the family file import neither (a fresh process: the tests' own
    imports do not count); each heavy library comes when its feature is used."""
    code = (
        "import importlib, pkgutil, sys\n"
        "for m in pkgutil.iter_modules(['modele']): importlib.import_module('modele.' + m.name)\n"
        "import ecrans.famille, tui.app, tui.recherche\n"
        "lourdes = ('babel', 'stdnum', 'reportlab', 'holidays', 'phonenumbers', 'schwifty')\n"
        "print([p for p in lourdes if p in sys.modules])\n"
    )
    fait = subprocess.run(
        [sys.executable, "-c", code], cwd=RACINE, capture_output=True, text=True, check=True
    )
    assert fait.stdout.strip() == "[]"


def test_compte_et_accord_a_la_francaise():
    from modele.formats import accord, compte

    assert [compte(n, "famille") for n in (0, 1, 2)] == ["0 famille", "1 famille", "2 familles"]
    assert compte(-3, "jour") == "-3 jours" and compte(-1, "jour") == "-1 jour"
    # a town's counts grouped as its amounts are (a narrow no-break space)
    assert compte(48_889, "facture") == "48\u202f889 factures"
    assert compte(-1_200, "jour") == "-1\u202f200 jours"
    assert accord(1, "sa", "leur") == "sa" and accord(5, "sa", "leur") == "leur"
