"""the recommendations' explanations: what each item of the two first catalogues means

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:00:00

The tilbud reads them when it chooses. Only empty texts of the first version are filled (an
admin's own wording, in a later version, is left alone); downgrade empties only our texts.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

catalogues = sa.table("recommendation_catalogues", sa.column("id", sa.Integer),
                      sa.column("code", sa.String), sa.column("version", sa.Integer))
recommendations = sa.table("recommendations", sa.column("catalogue_id", sa.Integer),
                           sa.column("number", sa.Integer), sa.column("text", sa.Text))

# Written from the publications' own framing (recovery-oriented practice on botilbud; the ten
# cross-cutting quality themes of bostøtte in the citizen's own home) and the practice
# examples of the mapping (sundhedstjek, skadesreduktion, meningsfulde aktiviteter,
# brobygning til samfundet, hjemlighed).
EXPLANATIONS = {
    "botilbud": {
        1: "Borgeren kender sit eget liv bedst. Medarbejderne lytter til borgerens ønsker, "
           "håb og drømme og lader dem styre støtten, også når botilbuddets hverdag "
           "tilrettelægges.",
        2: "Borgeren sætter selv sine mål, og medarbejderne følger op sammen med borgeren, så "
           "støtten hele tiden passer til det, borgeren ønsker og har brug for.",
        3: "Botilbuddet skal opleves som et rart og hjemligt sted at bo. Borgere og "
           "medarbejdere skaber sammen trygge rammer i de fysiske omgivelser og i hverdagens "
           "rytme.",
        4: "Borgerens bolig er borgerens hjem, og medarbejderne kommer på besøg. "
           "Fællesområderne kan bruges fleksibelt, så der er plads til både fællesskab og "
           "privatliv.",
        5: "Meningsfulde aktiviteter og fællesskaber, også uden for botilbuddet, giver trivsel. "
           "Medarbejderne bygger bro til foreninger, frivillige og andre lokale tilbud.",
        6: "Fysisk og mental sundhed hænger sammen. Botilbuddet arbejder fx med sundhedstjek "
           "og skadesreduktion og hjælper borgeren i kontakt med sundhedsvæsenet.",
        7: "Borgeren har ofte flere indsatser på én gang. Botilbuddet tager initiativ til "
           "samarbejdet med fx egen læge, psykiatrien og kommunens sagsbehandler, så "
           "forløbet hænger sammen for borgeren.",
    },
    "bostotte": {
        1: "Bostøtten tager udgangspunkt i det, borgeren selv ønsker og drømmer om, og i det, "
           "der motiverer borgeren, ikke kun i problemer og begrænsninger.",
        2: "Støtte til at finde og fastholde et meningsfuldt virke, fx uddannelse, arbejde, "
           "frivilligt arbejde eller andre aktiviteter, der giver hverdagen indhold.",
        3: "Bostøtten hjælper borgeren med at styrke eller genskabe relationer til familie og "
           "venner og med at blive en del af fællesskaber.",
        4: "Medarbejderne bygger bro til foreninger, frivillige og andre lokale fællesskaber, "
           "så borgeren får et netværk ud over bostøtten.",
        5: "Fokus på borgerens fysiske og mentale sundhed, fx kost, motion og søvn, og på "
           "kontakten til egen læge og psykiatrien.",
        6: "Støtte til, at borgeren trives og udvikler sig, fx ved at styrke mestring, "
           "selvværd og håb.",
        7: "Bostøtten koordinerer med borgerens øvrige indsatser, så borgeren oplever én "
           "sammenhængende indsats.",
        8: "Støtten gives, hvor borgeren har brug for den, både i hjemmet og ude i "
           "samfundet, og kan skrues op og ned efter behov.",
        9: "Medarbejderne arbejder ud fra en fælles recoveryorienteret og rehabiliterende "
           "tilgang og fælles metoder, så borgeren møder den samme faglighed.",
        10: "Forløbet har en tydelig begyndelse, løbende opfølgning på borgerens mål og en god "
            "afslutning, som borgeren er med til at planlægge.",
    },
}


def _rows():
    bind = op.get_bind()
    first = dict(bind.execute(sa.select(catalogues.c.code, catalogues.c.id)
                              .where(catalogues.c.version == 1)).all())
    for code, texts in EXPLANATIONS.items():
        if code in first:
            for number, text in texts.items():
                yield first[code], number, text


def upgrade():
    for catalogue_id, number, text in _rows():
        op.execute(recommendations.update()
                   .where(recommendations.c.catalogue_id == catalogue_id,
                          recommendations.c.number == number, recommendations.c.text == "")
                   .values(text=text))


def downgrade():
    for catalogue_id, number, text in _rows():
        op.execute(recommendations.update()
                   .where(recommendations.c.catalogue_id == catalogue_id,
                          recommendations.c.number == number, recommendations.c.text == text)
                   .values(text=""))
