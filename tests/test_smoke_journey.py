

def test_pages_render_for_anonymous(client):
    for url in ["/", "/log-ind", "/opret-bruger", "/privatlivspolitik", "/tilgaengelighed",
                "/glemt-adgangskode"]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:2000])
