from django.urls import reverse

from tests.world import PASSWORD
from truongso.exchange.models import OutgoingBatch


def test_the_school_pushes_from_the_page_and_sees_the_batch_waiting(client, world, settings):
    settings.EXCHANGE_PARENT_URL = ""
    client.login(username="ht_a", password=PASSWORD)
    response = client.post(reverse("exchange:push"))
    assert response.status_code == 302
    waiting = OutgoingBatch.objects.get()
    assert waiting.acknowledged_at is None
    assert "Chưa cấu hình nút cấp trên" in waiting.last_error
    page = client.get(reverse("exchange:status")).content.decode()
    assert "Chưa cấu hình nút cấp trên" in page


def test_teachers_and_guardians_have_no_exchange_pages(client, world):
    for username in ("gv_a1", "ph_an"):
        client.login(username=username, password=PASSWORD)
        assert client.get(reverse("exchange:status")).status_code == 403
        assert client.post(reverse("exchange:push")).status_code == 403
    assert not OutgoingBatch.objects.exists()


def test_the_menu_links_to_the_sync_page(client, world):
    client.login(username="so_hanoi", password=PASSWORD)
    page = client.get(reverse("web:home")).content.decode()
    assert 'href="/exchange/"' in page
