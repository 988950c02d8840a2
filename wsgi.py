from indsatsteam import create_app

app = create_app()
