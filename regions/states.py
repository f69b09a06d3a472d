"""The sixteen federal states, as far as a region's legal pages need them.

The first two digits of an official district key name the state (12069 Potsdam-Mittelmark:
12, Brandenburg; 09162 München: 09, Bayern). Each state has its own law on accessible
websites of public bodies (implementing Directive (EU) 2016/2102), its own body that enforces
it or mediates, and its own data protection authority.

What is written here was checked; where the enforcement or mediation body is not known for
certain, `enforcement` is empty and the starter text asks the operator to name it instead of
naming a wrong one. The texts are German, whatever the interface language: they are the
pages' content.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FederalState:
    code: str  # the first two digits of the district key
    name: str
    accessibility_law: str
    # Who enforces the law or mediates when an answer does not satisfy; "" if unknown here.
    enforcement: str
    data_protection_authority: str
    data_protection_website: str


STATES = {
    state.code: state
    for state in [
        FederalState(
            "01",
            "Schleswig-Holstein",
            "Landesbehindertengleichstellungsgesetz Schleswig-Holstein (LBGG)",
            "",
            "Unabhängiges Landeszentrum für Datenschutz Schleswig-Holstein (ULD)",
            "https://www.datenschutzzentrum.de",
        ),
        FederalState(
            "02",
            "Hamburg",
            "Hamburgisches Gesetz zur Gleichstellung von Menschen mit Behinderungen (HmbBGG)",
            "",
            "Der Hamburgische Beauftragte für Datenschutz und Informationsfreiheit",
            "https://datenschutz-hamburg.de",
        ),
        FederalState(
            "03",
            "Niedersachsen",
            "Niedersächsisches Behindertengleichstellungsgesetz (NBGG)",
            "",
            "Die Landesbeauftragte für den Datenschutz Niedersachsen",
            "https://www.lfd.niedersachsen.de",
        ),
        FederalState(
            "04",
            "Bremen",
            "Bremisches Behindertengleichstellungsgesetz (BremBGG)",
            "Schlichtungsstelle nach § 22 BremBGG beim Landesbehindertenbeauftragten der "
            "Freien Hansestadt Bremen",
            "Die Landesbeauftragte für Datenschutz und Informationsfreiheit der Freien "
            "Hansestadt Bremen",
            "https://www.datenschutz.bremen.de",
        ),
        FederalState(
            "05",
            "Nordrhein-Westfalen",
            "Behindertengleichstellungsgesetz Nordrhein-Westfalen (BGG NRW)",
            "",
            "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen",
            "https://www.ldi.nrw.de",
        ),
        FederalState(
            "06",
            "Hessen",
            "Hessisches Behinderten-Gleichstellungsgesetz (HessBGG)",
            "",
            "Der Hessische Beauftragte für Datenschutz und Informationsfreiheit",
            "https://datenschutz.hessen.de",
        ),
        FederalState(
            "07",
            "Rheinland-Pfalz",
            "",  # the law was renamed recently: the operator names it
            "",
            "Der Landesbeauftragte für den Datenschutz und die Informationsfreiheit "
            "Rheinland-Pfalz",
            "https://www.datenschutz.rlp.de",
        ),
        FederalState(
            "08",
            "Baden-Württemberg",
            "Landes-Behindertengleichstellungsgesetz Baden-Württemberg (L-BGG)",
            "Schlichtungsstelle nach § 10b L-BGG beim Landeszentrum Barrierefreiheit (LZ-BARR)",
            "Der Landesbeauftragte für den Datenschutz und die Informationsfreiheit "
            "Baden-Württemberg",
            "https://www.baden-wuerttemberg.datenschutz.de",
        ),
        FederalState(
            "09",
            "Bayern",
            "Bayerisches Behindertengleichstellungsgesetz (BayBGG) und Bayerische "
            "E-Government-Verordnung (BayEGovV)",
            "Durchsetzungs- und Überwachungsstelle für barrierefreie Informationstechnik am "
            "Landesamt für Digitalisierung, Breitband und Vermessung (LDBV)",
            # Bavaria has two, one for public bodies and one for companies: the operator picks.
            "[Bitte die zuständige wählen: Der Bayerische Landesbeauftragte für den "
            "Datenschutz (für öffentliche Stellen, www.datenschutz-bayern.de) oder das "
            "Bayerische Landesamt für Datenschutzaufsicht (für nicht-öffentliche Stellen wie "
            "eine GmbH, www.lda.bayern.de)]",
            "",
        ),
        FederalState(
            "10",
            "Saarland",
            "Saarländisches Behindertengleichstellungsgesetz (SBGG)",
            "",
            "Unabhängiges Datenschutzzentrum Saarland",
            "https://www.datenschutz.saarland.de",
        ),
        FederalState(
            "11",
            "Berlin",
            "Barrierefreie-IKT-Gesetz Berlin (BIKTG Bln) und Landesgleichberechtigungsgesetz "
            "(LGBG)",
            "Schlichtungsstelle nach § 33 LGBG bei der Landesbeauftragten für Menschen mit "
            "Behinderungen",
            "Berliner Beauftragte für Datenschutz und Informationsfreiheit",
            "https://www.datenschutz-berlin.de",
        ),
        FederalState(
            "12",
            "Brandenburg",
            "Brandenburgisches Behindertengleichstellungsgesetz (BbgBGG) und Brandenburgische "
            "Barrierefreie Informationstechnik-Verordnung (BbgBITV)",
            "",
            "Die Landesbeauftragte für den Datenschutz und für das Recht auf Akteneinsicht "
            "Brandenburg",
            "https://www.lda.brandenburg.de",
        ),
        FederalState(
            "13",
            "Mecklenburg-Vorpommern",
            "Landesbehindertengleichstellungsgesetz Mecklenburg-Vorpommern (LBGG M-V)",
            "",
            "Der Landesbeauftragte für Datenschutz und Informationsfreiheit Mecklenburg-Vorpommern",
            "https://www.datenschutz-mv.de",
        ),
        FederalState(
            "14",
            "Sachsen",
            "Barrierefreie-Websites-Gesetz (BfWebG) des Freistaates Sachsen",
            "",
            "Die Sächsische Datenschutz- und Transparenzbeauftragte",
            "https://www.datenschutz.sachsen.de",
        ),
        FederalState(
            "15",
            "Sachsen-Anhalt",
            "Behindertengleichstellungsgesetz Sachsen-Anhalt (BGG LSA)",
            "",
            "Der Landesbeauftragte für den Datenschutz Sachsen-Anhalt",
            "https://datenschutz.sachsen-anhalt.de",
        ),
        FederalState(
            "16",
            "Thüringen",
            "Thüringer Gesetz zur Inklusion und Gleichstellung von Menschen mit Behinderungen "
            "(ThürGIG)",
            "",
            "Der Thüringer Landesbeauftragte für den Datenschutz und die Informationsfreiheit",
            "https://www.tlfdi.de",
        ),
    ]
}

STATE_CHOICES = [(state.code, state.name) for state in STATES.values()]


def state_for(district_key: str) -> FederalState | None:
    """The state a district lies in, from its key's first two digits; None for no such state."""
    return STATES.get((district_key or "")[:2])
