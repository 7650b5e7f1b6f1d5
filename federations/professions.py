"""Professions of the ASIP label table (Annexe 2 of the thesis), plus the MSP's coordinator and
secretary. Codes are stable; labels are French first."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Profession(models.TextChoices):
    GP = "medecin_generaliste", _("Médecin généraliste")
    SPECIALIST = "medecin_specialiste", _("Médecin spécialiste")
    NURSE = "infirmier", _("Infirmier")
    PHYSIO = "masseur_kinesitherapeute", _("Masseur-kinésithérapeute")
    PODIATRIST = "pedicure_podologue", _("Pédicure-podologue")
    SPEECH_THERAPIST = "orthophoniste", _("Orthophoniste")
    ORTHOPTIST = "orthoptiste", _("Orthoptiste")
    DIETITIAN = "dieteticien", _("Diététicien")
    MIDWIFE = "sage_femme", _("Sage-femme")
    PSYCHOLOGIST = "psychologue", _("Psychologue")
    DENTIST = "chirurgien_dentiste", _("Chirurgien-dentiste")
    PHARMACIST = "pharmacien", _("Pharmacien")
    MEDICO_SOCIAL = "intervenant_medico_social", _("Intervenant médico-social")
    COORDINATOR = "coordinateur", _("Coordinateur")
    SECRETARY = "secretaire", _("Secrétaire")


#: Professions that appear in the label table (the ones software is labelled for).
LABEL_PROFESSIONS = [
    p for p in Profession if p not in (Profession.COORDINATOR, Profession.SECRETARY)
]

#: Accepted spellings in source documents (Annexe 2) → profession code.
ALIASES = {
    "medecin generaliste": Profession.GP,
    "medecin specialiste": Profession.SPECIALIST,
    "infirmier": Profession.NURSE,
    "masseur kinesitherapeute": Profession.PHYSIO,
    "masseur-kinesitherapeute": Profession.PHYSIO,
    "pedicure-podologue": Profession.PODIATRIST,
    "podologue": Profession.PODIATRIST,
    "orthophoniste": Profession.SPEECH_THERAPIST,
    "orthoptiste": Profession.ORTHOPTIST,
    "dieteticien": Profession.DIETITIAN,
    "sage-femme": Profession.MIDWIFE,
    "psychologue": Profession.PSYCHOLOGIST,
    "chirurgien-dentiste": Profession.DENTIST,
    "pharmacien": Profession.PHARMACIST,
    "intervenants medico-sociaux": Profession.MEDICO_SOCIAL,
}
