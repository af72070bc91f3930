"""Word lists for the demo families: first names, professions by CSP, towns, banks, subjects."""

from __future__ import annotations

# Popular first names of children born 2012-2023 (INSEE fichier des prénoms, top of the list).
PRENOMS_GARCONS = (
    "Gabriel",
    "Léo",
    "Raphaël",
    "Louis",
    "Arthur",
    "Jules",
    "Adam",
    "Maël",
    "Lucas",
    "Hugo",
    "Noah",
    "Liam",
    "Gabin",
    "Sacha",
    "Paul",
    "Nathan",
    "Aaron",
    "Mohamed",
    "Ethan",
    "Tom",
    "Léon",
    "Théo",
    "Noé",
    "Martin",
    "Timéo",
    "Nolan",
    "Axel",
    "Valentin",
    "Marius",
    "Mathis",
    "Isaac",
    "Eden",
    "Naël",
    "Malo",
    "Léandre",
    "Énzo",
    "Rayan",
    "Ibrahim",
    "Côme",
    "Joseph",
)
PRENOMS_FILLES = (
    "Jade",
    "Louise",
    "Emma",
    "Alice",
    "Ambre",
    "Lina",
    "Rose",
    "Chloé",
    "Mia",
    "Léa",
    "Anna",
    "Mila",
    "Julia",
    "Inès",
    "Léna",
    "Zoé",
    "Agathe",
    "Juliette",
    "Lou",
    "Iris",
    "Romy",
    "Jeanne",
    "Manon",
    "Camille",
    "Louna",
    "Nina",
    "Lola",
    "Adèle",
    "Sarah",
    "Victoire",
    "Margaux",
    "Éva",
    "Charlie",
    "Alba",
    "Capucine",
    "Clémence",
    "Maëlys",
    "Yasmine",
    "Héloïse",
)

# (profession au masculin, au féminin, index of the INSEE PCS group in reference.CSP, weight)
PROFESSIONS = (
    ("Agriculteur", "Agricultrice", 0, 1),
    ("Maraîcher", "Maraîchère", 0, 1),
    ("Boulanger", "Boulangère", 1, 1),
    ("Coiffeur", "Coiffeuse", 1, 1),
    ("Commerçant", "Commerçante", 1, 2),
    ("Plombier chauffagiste", "Plombière chauffagiste", 1, 1),
    ("Chef d'entreprise", "Cheffe d'entreprise", 1, 1),
    ("Ingénieur", "Ingénieure", 2, 5),
    ("Médecin", "Médecin", 2, 1),
    ("Cadre commercial", "Cadre commerciale", 2, 2),
    ("Professeur de lycée", "Professeure de lycée", 2, 2),
    ("Avocat", "Avocate", 2, 1),
    ("Pharmacien", "Pharmacienne", 2, 1),
    ("Chef de projet informatique", "Cheffe de projet informatique", 2, 3),
    ("Infirmier", "Infirmière", 3, 4),
    ("Professeur des écoles", "Professeure des écoles", 3, 3),
    ("Technicien aéronautique", "Technicienne aéronautique", 3, 3),
    ("Comptable", "Comptable", 3, 2),
    ("Kinésithérapeute", "Kinésithérapeute", 3, 1),
    ("Éducateur spécialisé", "Éducatrice spécialisée", 3, 2),
    ("Secrétaire", "Secrétaire", 4, 3),
    ("Aide-soignant", "Aide-soignante", 4, 3),
    ("Agent administratif", "Agente administrative", 4, 3),
    ("Vendeur", "Vendeuse", 4, 3),
    ("Caissier", "Caissière", 4, 2),
    ("Auxiliaire de vie", "Auxiliaire de vie", 4, 2),
    ("Agent de sécurité", "Agente de sécurité", 4, 1),
    ("Maçon", "Maçonne", 5, 2),
    ("Chauffeur-livreur", "Chauffeuse-livreuse", 5, 2),
    ("Électricien", "Électricienne", 5, 2),
    ("Cariste", "Cariste", 5, 1),
    ("Agent de production", "Agente de production", 5, 2),
    ("Mécanicien", "Mécanicienne", 5, 1),
    ("Sans profession", "Sans profession", 7, 3),
    ("Étudiant", "Étudiante", 7, 1),
    ("En recherche d'emploi", "En recherche d'emploi", 7, 3),
)
# Gross yearly income of one adult by PCS group (cents), before noise.
REVENUS_CSP = (2000000, 3000000, 5500000, 3200000, 2200000, 2300000, 2000000, 400000)

EMPLOYEURS_PUBLICS = (
    "Mairie de Toulouse",
    "CHU de Toulouse",
    "Éducation nationale",
    "Airbus Operations",
    "Conseil départemental de la Haute-Garonne",
    "La Poste",
    "SNCF Voyageurs",
    "Commune de Sant-Jean",
    "Toulouse Métropole",
    "CNES",
)

# The commune's own town (seed 004) and real neighbours (postcode, town).
VILLE_COMMUNE = ("31400", "SANT - JEAN")
VILLES_VOISINES = (
    ("31130", "BALMA"),
    ("31240", "L'UNION"),
    ("31500", "TOULOUSE"),
    ("31520", "RAMONVILLE-SAINT-AGNE"),
    ("31650", "SAINT-ORENS-DE-GAMEVILLE"),
    ("31320", "CASTANET-TOLOSAN"),
    ("31770", "COLOMIERS"),
    ("31700", "BLAGNAC"),
    ("31140", "AUCAMVILLE"),
    ("31200", "TOULOUSE"),
)

# Birthplaces in France: (département, commune, code INSEE), checked against the INSEE COG.
COMMUNES_NAISSANCE = (
    ("31", "Toulouse", "31555"),
    ("31", "Toulouse", "31555"),
    ("31", "Toulouse", "31555"),
    ("75", "Paris", "75056"),
    ("69", "Lyon", "69123"),
    ("13", "Marseille", "13055"),
    ("59", "Lille", "59350"),
    ("33", "Bordeaux", "33063"),
    ("34", "Montpellier", "34172"),
    ("44", "Nantes", "44109"),
    ("67", "Strasbourg", "67482"),
    ("35", "Rennes", "35238"),
    ("82", "Montauban", "82121"),
    ("81", "Albi", "81004"),
    ("66", "Perpignan", "66136"),
    ("64", "Pau", "64445"),
    ("65", "Tarbes", "65440"),
    ("30", "Nîmes", "30189"),
    ("38", "Grenoble", "38185"),
    ("21", "Dijon", "21231"),
    ("87", "Limoges", "87085"),
    ("12", "Rodez", "12202"),
    ("11", "Carcassonne", "11069"),
    ("47", "Agen", "47001"),
    ("81", "Castres", "81065"),
    ("32", "Auch", "32013"),
    ("34", "Béziers", "34032"),
)
# Country labels as INSEE spells them (modele.communes.pays), with a place of birth.
NAISSANCES_ETRANGER = (
    ("MAROC", "Casablanca"),
    ("ALGERIE", "Oran"),
    ("PORTUGAL", "Porto"),
    ("ESPAGNE", "Barcelone"),
    ("TUNISIE", "Sfax"),
    ("ITALIE", "Turin"),
    ("BELGIQUE", "Liège"),
    ("ROUMANIE", "Bucarest"),
    ("SENEGAL", "Dakar"),
)

# (bank code, branch code, name) of real French banks; the BIC comes from schwifty's registry.
BANQUES = (
    ("30004", "01234", "BNP Paribas"),
    ("30003", "02160", "Société Générale"),
    ("30002", "00550", "LCL"),
    ("10278", "02200", "Crédit Mutuel"),
    ("13106", "00500", "Crédit Agricole Toulouse 31"),
    ("20041", "01016", "La Banque Postale"),
    ("13135", "00080", "Caisse d'Epargne Midi-Pyrénées"),
)

DOMAINES_EMAIL = (
    "orange.fr",
    "free.fr",
    "gmail.com",
    "laposte.net",
    "sfr.fr",
    "wanadoo.fr",
    "hotmail.fr",
    "outlook.fr",
    "yahoo.fr",
)

ECOLES_MATERNELLES = ("École maternelle Jean Jaurès", "École maternelle Les Tilleuls")
ECOLES_ELEMENTAIRES = ("École élémentaire Jules Ferry", "École élémentaire Les Tilleuls")
CLASSES = {3: "PS", 4: "MS", 5: "GS", 6: "CP", 7: "CE1", 8: "CE2", 9: "CM1", 10: "CM2"}

ALLERGIES = (
    "Arachide",
    "Lactose",
    "Gluten",
    "Œuf",
    "Fruits à coque",
    "Kiwi",
    "Poisson",
    "Pollens (asthme)",
)
REGIMES = ("Sans porc", "Sans porc", "Végétarien", "Sans viande")
LIENS = (
    "Grand-mère",
    "Grand-père",
    "Tante",
    "Oncle",
    "Voisine",
    "Assistante maternelle",
    "Parrain",
    "Marraine",
    "Ami de la famille",
)

# Family → service subjects, with a body ({enfant} filled in), and the service's answer.
SUJETS_FAMILLE = (
    (
        "Absence de {enfant}",
        "Bonjour,\n{enfant} est malade et ne viendra pas demain. "
        "Je vous dépose le certificat médical.\nCordialement,",
        "Bonjour,\nL'absence est bien notée ; elle sera excusée à réception du certificat.\n"
        "Le service enfance",
    ),
    (
        "Question sur ma facture",
        "Bonjour,\nJe ne comprends pas le montant de la dernière "
        "facture, pouvez-vous m'expliquer ?\nMerci.",
        "Bonjour,\nLa facture comprend les repas et la garderie du mois. "
        "Le détail est sur le PDF.\n"
        "Le service enfance",
    ),
    (
        "Inscription vacances",
        "Bonjour,\nReste-t-il des places à l'accueil de loisirs pour "
        "{enfant} pendant les prochaines vacances ?\nBonne journée.",
        "Bonjour,\nOui, il reste des places : faites la demande de réservation "
        "depuis le planning.\n"
        "Le service enfance",
    ),
    (
        "Changement d'adresse",
        "Bonjour,\nNous avons déménagé, comment faire la mise à jour ?",
        "Bonjour,\nFaites une demande de modification depuis « Mon compte ». Merci.\n"
        "Le service enfance",
    ),
    (
        "Attestation de paiement",
        "Bonjour,\nPourriez-vous m'envoyer une attestation de "
        "paiement pour mon employeur ?\nMerci d'avance.",
        "Bonjour,\nVous la trouverez en pièce jointe.\nLe service enfance",
    ),
)
SUJETS_SERVICE = (
    (
        "Mise à jour du quotient familial",
        "Bonjour,\nLes mises à jour du quotient familial sont "
        "à faire en septembre et en février. Sans mise à jour, la tranche maximale sera appliquée."
        "\nLe service enfance",
    ),
    (
        "Fermeture exceptionnelle",
        "Bonjour,\nLe restaurant scolaire sera fermé pour cause de "
        "grève. Merci de prévoir un panier-repas.\nLe service enfance",
    ),
    (
        "Facture impayée",
        "Bonjour,\nSauf erreur de notre part, une facture reste impayée. "
        "Merci de régulariser.\nLe service enfance",
    ),
)
