"""Imports every model so Alembic's autogenerate and the app see one complete MetaData."""

from portal.audit.models import AuditEvent
from portal.auth.models import Agency, Opd, Role, User, UserRole
from portal.certificates.models import Certificate, CertificateAccess
from portal.competencies.models import Competency, CompetencyLevel, CourseCompetency
from portal.courses.models import Course, Module
from portal.ledger.models import JpCredit
from portal.needs.models import NeedsDiscussion, NeedsSurvey, SurveyRating
from portal.progress.models import Enrolment, ModuleCompletion, ModuleVisit
from portal.quizzes.models import Attempt, AttemptState, Question, Quiz

__all__ = [
    "Agency", "Attempt", "AttemptState", "AuditEvent", "Certificate", "CertificateAccess",
    "Competency", "CompetencyLevel", "Course", "CourseCompetency", "Enrolment", "JpCredit",
    "Module", "ModuleCompletion", "ModuleVisit", "NeedsDiscussion", "NeedsSurvey", "Opd",
    "Question", "Quiz", "Role", "SurveyRating", "User", "UserRole",
]
