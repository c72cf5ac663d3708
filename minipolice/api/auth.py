"""Bearer-token authentication: `Authorization: Bearer mph_…` acts as the token's user."""

from ninja.security import HttpBearer

from minipolice.api import selectors, services


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = selectors.active_token(token.strip())
        if found is None:
            return None
        services.record_token_use(token=found)
        # Selectors scope by request.user, exactly as for the pages.
        request.user = found.user
        request.api_token = found
        return found.user
