"""modele.communes: the real INSEE communes, départements and country codes shipped in data/."""

from __future__ import annotations

import pytest

from modele import communes as m


def noms(liste):
    return [c.nom for c in liste]


def test_code_postal_toulouse():
    assert noms(m.communes_du_code_postal("31400")) == ["Toulouse"]
    toulouse = m.commune("31555")
    assert toulouse is not None and "31400" in toulouse.codes_postaux


def test_lille():
    (lille,) = m.communes_du_code_postal("59000")
    assert lille == m.Commune("59350", "Lille", "59", lille.codes_postaux)
    assert m.commune(" 59350 ") == lille
    assert str(lille) == "Lille (59)"


def test_saint_denis_de_la_reunion():
    for cp in ("97400", "97490"):
        (sd,) = m.communes_du_code_postal(cp)
        assert (sd.code_insee, sd.nom, sd.departement) == ("97411", "Saint-Denis", "974")
    assert m.departement("974").nom == "La Réunion"


def test_corse():
    ajaccio = m.commune("2A004")
    assert ajaccio is not None and ajaccio.nom == "Ajaccio" and ajaccio.departement == "2A"
    assert m.commune("2b033").nom == "Bastia"
    assert "Bastia" in noms(m.communes_du_code_postal("20200"))
    assert m.departement("2A").nom == "Corse-du-Sud"


def test_code_postal_valide():
    for cp in ("31400", "59000", "75116", "20000", "97400", "97600", "97500", "97133", "98735"):
        assert m.code_postal_valide(cp), cp
    for cp in ("00000", "99999", "3140", "314000", "31 400", "", "abcde"):
        assert not m.code_postal_valide(cp), cp
    assert m.communes_du_code_postal("00000") == []


def test_plusieurs_communes_par_code_postal_triees():
    liste = m.communes_du_code_postal("01400")
    assert len(liste) > 1 and noms(liste) == sorted(noms(liste))
    assert all("01400" in c.codes_postaux for c in liste)


def test_nombre_de_communes():
    assert 34_000 < m.nombre_communes() < 36_000
    toutes = m.toutes_communes()
    assert len(toutes) == m.nombre_communes()
    assert len({c.code_insee for c in toutes}) == len(toutes)
    assert m.commune("00000") is None and m.commune("") is None


def test_departements():
    deps = m.departements()
    codes = [d.code for d in deps]
    assert len(deps) >= 101 and len(set(codes)) == len(codes)
    assert codes.index("19") < codes.index("2A") < codes.index("2B") < codes.index("21")
    assert codes[0] == "01" and codes.index("95") < codes.index("971")
    assert m.departement("1").nom == "Ain" and m.departement("59").nom == "Nord"
    assert m.departement("00") is None
    connus = set(codes)
    assert all(c.departement in connus for c in m.toutes_communes())


@pytest.mark.parametrize("texte", ["saint jean", "st jean", "ST-JEAN", "Saint-Jean", "sant jean"])
def test_chercher_saint_jean(texte):
    trouves = m.chercher_communes(texte)
    assert 0 < len(trouves) <= 20
    assert trouves[0].nom == "Saint-Jean"  # the exact name first
    assert all(m.normaliser(c.nom).startswith("SAINT JEAN") for c in trouves)
    assert "Saint-Jean-de-Luz" in noms(m.chercher_communes(texte, limite=100))


def test_chercher_accents_casse_articles():
    assert noms(m.chercher_communes("saint etienne", 1)) == ["Saint-Étienne"]
    assert noms(m.chercher_communes("SAINT-ÉTIENNE", 1)) == ["Saint-Étienne"]
    assert noms(m.chercher_communes("sables d olonne")) == ["Les Sables-d'Olonne"]
    assert "Le Havre" in noms(m.chercher_communes("havre"))
    assert "L'Haÿ-les-Roses" in noms(m.chercher_communes("l hay les"))
    assert noms(m.chercher_communes("oeuilly")) == ["Œuilly", "Œuilly"]


def test_chercher_st_seul_garde_strasbourg():
    trouves = noms(m.chercher_communes("st", 10))
    assert "Strasbourg" in trouves and "Saint-Étienne" in trouves
    assert "Strasbourg" not in noms(m.chercher_communes("st ", 50))


def test_chercher_classe_par_population():
    # several Saint-Denis: Réunion's and Seine-Saint-Denis's before the villages
    premiers = m.chercher_communes("saint denis", 2)
    assert {c.code_insee for c in premiers} == {"97411", "93066"}


def test_chercher_faute_de_frappe():
    assert m.chercher_communes("montpelier")[0].nom == "Montpellier"
    assert m.chercher_communes("tolouse")[0].nom == "Toulouse"
    assert m.chercher_communes("xyzzy") == []


def test_chercher_par_code():
    # postcode first, then the commune whose code INSEE it also is
    assert noms(m.chercher_communes("31400")) == ["Toulouse", "Nogaret"]
    assert noms(m.chercher_communes("59000")) == ["Lille"]
    assert noms(m.chercher_communes("2A004")) == ["Ajaccio"]
    assert m.chercher_communes("") == [] and m.chercher_communes("  - ") == []
    assert m.chercher_communes("lille", limite=0) == []


def test_communes_immuables():
    lille = m.commune("59350")
    with pytest.raises(AttributeError):
        lille.nom = "Lutèce"
    assert m.commune("59350") is lille  # cached


def test_pays():
    france = m.pays_par_code()[m.CODE_FRANCE]
    assert france.nom == "FRANCE" and france.code_insee == "99100"
    assert m.pays_par_code()["99109"].nom == "ALLEMAGNE"
    assert m.pays_par_code()["99350"].nom == "MAROC"
    liste = m.pays()
    assert len(liste) > 200
    assert all(len(p.code_insee) == 5 and p.code_insee.startswith("99") for p in liste)
    assert len({p.code_insee for p in liste}) == len(liste)


def test_chercher_pays():
    assert m.chercher_pays("fra")[0].code_insee == "99100"
    assert m.chercher_pays("allemagne")[0].code_insee == "99109"
    assert m.chercher_pays("Algérie")[0].code_insee == "99352"
    assert "99404" in {p.code_insee for p in m.chercher_pays("etats unis")}
    assert m.chercher_pays("jersey")[0].code_insee == "99132"  # a territory's name
    assert [p.code_insee for p in m.chercher_pays("99131")] == ["99131"]
    assert m.chercher_pays("atlantide") == []
