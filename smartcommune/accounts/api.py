from ninja import Router, Schema

from config.api import AUTH

from . import scoping

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    commune_code: str | None
    village_code: str | None
    province_code: str | None


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[RoleOut]
    communes: list[str]


@router.get("/me", response=MeOut, auth=AUTH)
def me(request):
    user = request.user
    roles = [
        RoleOut(
            role=a.role,
            commune_code=a.commune.code if a.commune_id else None,
            village_code=a.village.code if a.village_id else None,
            province_code=a.province.code if a.province_id else None,
        )
        for a in user.roles.select_related("commune", "village", "province")
    ]
    communes = list(scoping.scope_for(user).communes().values_list("code", flat=True)[:1000])
    return MeOut(username=user.username, full_name=user.full_name, roles=roles, communes=communes)
