"""Imports every model so Alembic's autogenerate and the app see one complete MetaData."""

from portal.auth.models import Agency, Opd, Role, User
from portal.certificates.models import Certificate, CertificateAccess
from portal.courses.models import Course, Module
from portal.ledger.models import JpCredit
from portal.progress.models import Enrolment, ModuleCompletion, ModuleVisit
from portal.quizzes.models import Attempt, AttemptState, Question, Quiz

__all__ = [
    "Agency", "Attempt", "AttemptState", "Certificate", "CertificateAccess", "Course",
    "Enrolment", "JpCredit", "Module", "ModuleCompletion", "ModuleVisit", "Opd", "Question", "Quiz", "Role",
    "User",
]
