from accounts.scope import membership_for_user


def current_organization(request):
    """The signed-in user's organization and role, for the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = membership_for_user(user)
    if membership is None:
        return {}
    return {"current_organization": membership.organization, "current_role": membership.role}
