from django.urls import path

from truongso.credentials import public, views

app_name = "credentials"

urlpatterns = [
    # Published for verifiers (no account).
    path("keys.json", public.key_registry, name="key_registry"),
    path("jwks.json", public.jwks, name="jwks"),
    path("did.json", public.node_did, name="node_did"),
    path("did/<str:code>/did.json", public.institution_did, name="institution_did"),
    path("log/checkpoint", public.log_checkpoint, name="log_checkpoint"),
    path("log/entries", public.log_entries, name="log_entries"),
    # Schools and offices.
    path("keys/", views.key_list, name="key_list"),
    path("keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
]
