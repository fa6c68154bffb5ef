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

#: Indexes that migrations create on PostgreSQL only and the models do not declare: the
#: trigram (pg_trgm) indexes of migration 0009, on expressions.
POSTGRESQL_ONLY_INDEXES = frozenset({
    "ix_certificate_number_trgm", "ix_certificate_holder_name_trgm",
    "ix_certificate_holder_nip_trgm",
})


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object`` hook: leave :data:`POSTGRESQL_ONLY_INDEXES` out of
    autogenerate's comparison (they live in the migration, not in the models)."""
    return not (type_ == "index" and reflected and name in POSTGRESQL_ONLY_INDEXES)


__all__ = [
    "Agency", "Attempt", "AttemptState", "AuditEvent", "Certificate", "CertificateAccess",
    "Competency", "CompetencyLevel", "Course", "CourseCompetency", "Enrolment", "JpCredit",
    "Module", "ModuleCompletion", "ModuleVisit", "NeedsDiscussion", "NeedsSurvey", "Opd",
    "Question", "Quiz", "Role", "SurveyRating", "User", "UserRole",
]
