from tests.world import PASSWORD
from truongso.health.models import Checkup


def test_entry_page_keeps_bad_row_and_learner_page_draws_charts(world, nurse, campaign, client):
    assert client.login(username=nurse.username, password=PASSWORD)
    url = f"/health/campaign/{campaign.pk}/class/{world.class_a1.pk}/"
    page = client.get(url).content.decode()
    assert 'data-h-warn-lo="' in page and "health/entry.js" in page
    response = client.post(url, {
        f"h_{world.learner_an.pk}": "145", f"w_{world.learner_an.pk}": "36,5",
        f"h_{world.learner_binh.pk}": "1450", f"w_{world.learner_binh.pk}": "36",
    })  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chiều cao 1450 cm nằm ngoài khoảng 40–220 cm." in html
    assert f'name="h_{world.learner_binh.pk}" value="1450"' in html
    assert list(Checkup.objects.values_list("learner_id", flat=True)) == [world.learner_an.pk]
    page = client.get(f"/health/learner/{world.learner_an.pk}/").content.decode()
    assert page.count('<svg class="growth-chart"') == 2
    assert "<script>" not in page and "style=" not in page
