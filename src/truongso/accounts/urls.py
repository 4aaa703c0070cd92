from django.urls import path

from truongso.accounts import token_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("password/", views.password_change, name="password_change"),
    path("api-tokens/", token_views.api_tokens, name="api_tokens"),
    path(
        "api-tokens/<int:pk>/revoke/",
        token_views.api_token_revoke_view,
        name="api_token_revoke",
    ),
]
