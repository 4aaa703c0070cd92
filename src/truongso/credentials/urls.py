from django.urls import path

from truongso.credentials import public, views

app_name = "credentials"

urlpatterns = [
    # Published for verifiers (no account).
    path("keys.json", public.key_registry, name="key_registry"),
    path("jwks.json", public.jwks, name="jwks"),
    path("did.json", public.node_did, name="node_did"),
    path("did/<str:code>/did.json", public.institution_did, name="institution_did"),
    path(
        "status/<str:code>/<int:year>/<str:purpose>/<int:sequence>",
        public.status_list,
        name="status_list",
    ),
    path("types/<slug:code>", public.credential_type, name="credential_type"),
    path("log/checkpoint", public.log_checkpoint, name="log_checkpoint"),
    path("log/entries", public.log_entries, name="log_entries"),
    # Schools and offices.
    path("", views.register, name="register"),
    path("issue/", views.issue_start, name="issue"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/", views.credential_detail, name="detail"),
    path("<int:pk>/credential.json", views.credential_json, name="json"),
    path("<int:pk>/qr.svg", views.credential_qr, name="qr"),
    path("<int:pk>/pdf", views.credential_pdf_download, name="pdf"),
    path("<int:pk>/revoke/", views.credential_action, {"action": "revoke"}, name="revoke"),
    path("<int:pk>/suspend/", views.credential_action, {"action": "suspend"}, name="suspend"),
    path("<int:pk>/reinstate/", views.credential_action, {"action": "reinstate"}, name="reinstate"),
    path("<int:pk>/replace/", views.credential_replace, name="replace"),
    path("keys/", views.key_list, name="key_list"),
    path("keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
]
