"""Which organization, project and role a request acts as."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import ApiKey, Membership, Organization, Project, Role


@dataclass(frozen=True)
class Scope:
    organization: Organization
    project: Project
    role: str
    user: object | None = None
    api_key: ApiKey | None = None

    def allows(self, role: str) -> bool:
        return Role.rank(self.role) >= Role.rank(role)

    @property
    def actor(self):
        """The user to record in the audit log (None for an API key)."""
        return self.user if self.api_key is None else None


def membership_for_user(user, organization_id: str | None = None) -> Membership | None:
    memberships = Membership.objects.select_related("organization").filter(user=user)
    if organization_id:
        memberships = memberships.filter(organization_id=organization_id)
    return memberships.order_by("created_at").first()
