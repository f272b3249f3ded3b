"""A clean site's options, as WordPress and common plugins write them."""

from __future__ import annotations

import time

from tests.dbscan.conftest import ScratchDatabase
from tests.dbscan.wordpress_schema import PhpData, cron_key, insert_option

ACTIVE_PLUGINS = [
    "akismet/akismet.php",
    "classic-editor/classic-editor.php",
    "contact-form-7/wp-contact-form-7.php",
    "insert-headers-and-footers/ihaf.php",
    "wordpress-seo/wp-seo.php",
    "hello.php",
]

GTAG = """<!-- Google tag (gtag.js) -->
<script async src="https://www.googletagmanager.com/gtag/js?id=G-8QX2K1ZL7M"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', 'G-8QX2K1ZL7M');
</script>"""
TAG_MANAGER_BODY = """<!-- Google Tag Manager (noscript) -->
<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-K7QX2LM"
height="0" width="0" style="display:none;visibility:hidden"></iframe></noscript>
<!-- End Google Tag Manager (noscript) -->"""
META_PIXEL = """<!-- Meta Pixel Code -->
<script>
!function(f,b,e,v,n,t,s)
{if(f.fbq)return;n=f.fbq=function(){n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)};
if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';
n.queue=[];t=b.createElement(e);t.async=!0;
t.src=v;s=b.getElementsByTagName(e)[0];
s.parentNode.insertBefore(t,s)}(window, document,'script',
'https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '1234567890123456');
fbq('track', 'PageView');
</script>
<noscript><img height="1" width="1" style="display:none"
src="https://www.facebook.com/tr?id=1234567890123456&ev=PageView&noscript=1"
/></noscript>
<!-- End Meta Pixel Code -->"""
FACEBOOK_PAGE = (
    '<iframe src="https://www.facebook.com/plugins/page.php?href=https%3A%2F%2Fwww.'
    "facebook.com%2Fgreenthumb&tabs=timeline&width=340&height=500&small_header=false"
    '" width="340" height="500" style="border:none;overflow:hidden" scrolling="no" '
    'frameborder="0" allowfullscreen="true" allow="autoplay; clipboard-write; '
    'encrypted-media; picture-in-picture; web-share"></iframe>'
)
FEED_ITEM = (
    '<p>This week on the plot: <iframe width="560" height="315" src="https://www'
    '.youtube.com/embed/aqz-KE-bpKQ" frameborder="0" allowfullscreen></iframe></p>'
    '<script src="https://gardenfeeds.example/track.js"></script>'
)


def widget_options(
    *, text_suffix: str = "", footer_text: str = ""
) -> dict[str, PhpData]:
    """Widgets and sidebars as WordPress 6 stores them.

    ``text_suffix`` is appended to the text widget and ``footer_text`` set
    as a theme mod, which is where injections go.
    """
    theme_mods: dict[int | str, PhpData] = {
        0: False,
        "nav_menu_locations": {"primary": 2, "footer": 3},
        "custom_css_post_id": -1,
        "background_color": "d1e4dd",
    }
    if footer_text:
        theme_mods["footer_text"] = footer_text
    return {
        "widget_block": {
            2: {"content": "<!-- wp:search /-->"},
            3: {
                "content": '<!-- wp:group --><div class="wp-block-group">'
                "<!-- wp:heading --><h2>Recent Posts</h2><!-- /wp:heading -->"
                "<!-- wp:latest-posts /--></div><!-- /wp:group -->"
            },
            "_multiwidget": 1,
        },
        "widget_text": {
            2: {
                "title": "About the plot",
                "text": "<p>Two beds, one shed and far too many tomato plants. "
                '<a href="/about/">Read more</a></p>' + text_suffix,
                "filter": True,
                "visual": True,
            },
            "_multiwidget": 1,
        },
        "widget_custom_html": {
            2: {"title": "Follow us", "content": FACEBOOK_PAGE},
            "_multiwidget": 1,
        },
        "sidebars_widgets": {
            "wp_inactive_widgets": [],
            "sidebar-1": ["block-2", "block-3", "text-2"],
            "sidebar-2": ["custom_html-2"],
            "array_version": 3,
        },
        "theme_mods_twentytwentyone": theme_mods,
    }


def cron_option(now: int) -> dict[int | str, PhpData]:
    """A cron schedule like a year-old site with WooCommerce and Yoast has."""
    recurring: list[tuple[str, str, int, list[PhpData]]] = [
        ("wp_privacy_delete_old_export_files", "hourly", 3600, []),
        ("wp_version_check", "twicedaily", 43200, []),
        ("wp_update_plugins", "twicedaily", 43200, []),
        ("wp_update_themes", "twicedaily", 43200, []),
        ("wp_scheduled_delete", "daily", 86400, []),
        ("delete_expired_transients", "daily", 86400, []),
        ("wp_scheduled_auto_draft_delete", "daily", 86400, []),
        ("recovery_mode_clean_expired_keys", "daily", 86400, []),
        ("wp_site_health_scheduled_check", "weekly", 604800, []),
        ("wp_update_user_counts", "twicedaily", 43200, []),
        ("action_scheduler_run_queue", "every_minute", 60, ["WP Cron"]),
        ("wpseo-reindex-links", "daily", 86400, []),
        ("akismet_scheduled_delete", "daily", 86400, []),
        ("woocommerce_cleanup_sessions", "twicedaily", 43200, []),
        ("wp_delete_temp_updater_backups", "weekly", 604800, []),
    ]
    schedule: dict[int | str, PhpData] = {}
    for offset, (hook, recurrence, interval, args) in enumerate(recurring):
        event: dict[int | str, PhpData] = {
            "schedule": recurrence,
            "args": args,
            "interval": interval,
        }
        events: dict[int | str, PhpData] = {cron_key(args): event}
        schedule[now + 97 * offset] = {hook: events}
    single_events: list[tuple[str, list[PhpData]]] = [
        ("publish_future_post", [1234]),
        # A JWT segment: long base64, but JSON inside, not code.
        ("jetpack_sync_full_enqueue", ["eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9xyzAbC"]),
        ("wpcf7_cleanup_uploads", ["/var/www/greenthumb/wp-content/uploads/wpcf7"]),
    ]
    for offset, (hook, single_args) in enumerate(single_events):
        schedule[now + 7919 + offset] = {
            hook: {cron_key(single_args): {"schedule": False, "args": single_args}}
        }
    schedule["version"] = 2
    return schedule


USER_ROLES: dict[int | str, PhpData] = {
    "administrator": {
        "name": "Administrator",
        "capabilities": {"switch_themes": True, "edit_plugins": True},
    },
    "editor": {"name": "Editor", "capabilities": {"edit_posts": True}},
    "subscriber": {"name": "Subscriber", "capabilities": {"read": True}},
}


def insert_clean_options(database: ScratchDatabase, prefix: str, site_url: str) -> None:
    """The options of a clean site, transients and caches included."""
    plain: dict[str, PhpData] = {
        "siteurl": site_url,
        "home": site_url,
        "blogname": "Green Thumb Diaries",
        "blogdescription": "Notes from a small allotment",
        "admin_email": "sarah@greenthumbdiaries.example",
        "users_can_register": "0",
        "permalink_structure": "/%year%/%monthnum%/%postname%/",
        "template": "twentytwentyone",
        "stylesheet": "twentytwentyone",
        "db_version": "57155",
        "WPLANG": "",
        "timezone_string": "Europe/London",
        "active_plugins": ACTIVE_PLUGINS,
        "recently_activated": {},
        "uninstall_plugins": {
            "classic-editor/classic-editor.php": ["Classic_Editor", "uninstall"]
        },
        f"{prefix}user_roles": USER_ROLES,
        "rewrite_rules": {
            f"^wp-json/wp/v2/{route}/?$": f"index.php?rest_route=/wp/v2/{route}"
            for route in ("posts", "pages", "media", "blocks", "types", "statuses")
        },
        "ihaf_insert_header": GTAG,
        "ihaf_insert_body": TAG_MANAGER_BODY,
        "ihaf_insert_footer": META_PIXEL,
        "wpseo": {"tracking": False, "enable_xml_sitemap": True, "version": "21.5"},
        "cron": cron_option(int(time.time())),
        "_transient_timeout_feed_9bbd59226dc36b9b26cd43f15694c5c3": "1700000000",
        "_transient_feed_9bbd59226dc36b9b26cd43f15694c5c3": {
            "child": {"": {"rss": [{"data": FEED_ITEM}]}}
        },
        "_site_transient_update_themes": {"last_checked": 1700000000, "checked": {}},
    }
    for name, value in {**plain, **widget_options()}.items():
        insert_option(database, prefix, name, value)
