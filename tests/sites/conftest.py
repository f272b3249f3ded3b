"""Factories for site trees on disk, with files shaped like the real ones."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from cleanshift.sites.discovery import Site

# The real MariaDB databases of the database-scan tests, for activation flags.
from tests.dbscan.conftest import make_database, test_database  # noqa: F401

SILENCE = "<?php\n// Nothing to see here.\n"


def write(path: Path, content: str | bytes) -> Path:
    """Write a file, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def wordpress_version_php(version: str) -> str:
    return f"""<?php
/**
 * Release information for this copy of WordPress core.
 *
 * @package WordPress
 */

/**
 * Core release, compared against the update API.
 *
 * @global string $wp_version
 */
$wp_version = '{version}';

/** @global int $wp_db_version Schema revision. */
$wp_db_version = 57155;

/** @global string $tinymce_version */
$tinymce_version = '49110-20201110';

$required_php_version = '7.0.0';
$required_mysql_version = '5.0';
"""


def plugin_header(name: str, version: str | None, extra: str = "") -> str:
    version_line = f" * Version:           {version}\n" if version else ""
    return (
        "<?php\n/**\n"
        f" * Plugin Name:       {name}\n"
        " * Plugin URI:        https://example.org/plugins/\n"
        " * Description:       A plugin written for these tests.\n"
        f"{version_line}"
        " * Requires at least: 6.0\n"
        " * Author:            Example Co\n"
        " * License:           GPL-2.0-or-later\n"
        f"{extra} */\n\n"
        "defined( 'ABSPATH' ) || exit;\n"
    )


def readme(name: str, stable_tag: str) -> str:
    return (
        f"=== {name} ===\n"
        "Contributors: exampleco\n"
        "Tags: forms, testing\n"
        "Requires at least: 6.0\n"
        "Tested up to: 6.5\n"
        f"Stable tag: {stable_tag}\n"
        "License: GPLv2 or later\n\n"
        "A plugin written for these tests.\n\n"
        "== Changelog ==\n\n= 1.0 =\n* First release.\n"
    )


def theme_style(name: str, version: str | None, template: str | None = None) -> str:
    lines = [
        "/*",
        f"Theme Name: {name}",
        "Author: Example Co",
        "Description: A theme written for these tests.",
    ]
    if template:
        lines.append(f"Template: {template}")
    if version:
        lines.append(f"Version: {version}")
    lines += ["Text Domain: example", "*/", "", "body { margin: 0; }", ""]
    return "\n".join(lines)


class SiteFactory:
    """Builds sites of each CMS below one web root."""

    def __init__(self, web_root: Path) -> None:
        self.web_root = web_root
        web_root.mkdir(parents=True, exist_ok=True)

    def wordpress(self, relative: str, version: str = "6.4.3") -> Path:
        site = self.web_root / relative
        write(site / "wp-includes" / "version.php", wordpress_version_php(version))
        write(site / "wp-includes" / "load.php", "<?php\nfunction wp_load() {}\n")
        write(site / "index.php", "<?php\nrequire __DIR__ . '/wp-blog-header.php';\n")
        write(site / "wp-admin" / "index.php", "<?php\nrequire '../wp-load.php';\n")
        write(site / "wp-config.php", "<?php\ndefine( 'DB_NAME', 'wp' );\n")
        write(site / "wp-content" / "index.php", SILENCE)
        write(site / "wp-content" / "plugins" / "index.php", SILENCE)
        (site / "wp-content" / "themes").mkdir(parents=True, exist_ok=True)
        return site

    def plugin(
        self,
        site: Path,
        slug: str,
        version: str | None,
        *,
        main_file: str | None = None,
        stable_tag: str | None = None,
    ) -> Path:
        folder = site / "wp-content" / "plugins" / slug
        name = slug.replace("-", " ").title()
        write(folder / (main_file or f"{slug}.php"), plugin_header(name, version))
        write(folder / "includes" / "class-core.php", "<?php\nclass Core {}\n")
        if stable_tag is not None:
            write(folder / "readme.txt", readme(name, stable_tag))
        return folder

    def theme(
        self,
        site: Path,
        slug: str,
        version: str | None,
        template: str | None = None,
    ) -> Path:
        folder = site / "wp-content" / "themes" / slug
        name = slug.replace("-", " ").title()
        write(folder / "style.css", theme_style(name, version, template))
        write(
            folder / "functions.php", "<?php\nadd_action( 'init', '__return_true' );\n"
        )
        return folder

    def joomla(self, relative: str, major: int, minor: int, patch: int) -> Path:
        site = self.web_root / relative
        visibility = "public const" if major >= 4 else "const"
        write(
            site / "libraries" / "src" / "Version.php",
            "<?php\n\n/**\n * Joomla! Content Management System\n */\n\n"
            "namespace Joomla\\CMS;\n\n\\defined('_JEXEC') or die;\n\n"
            "final class Version\n{\n"
            f"    {visibility} PRODUCT = 'Joomla!';\n"
            f"    {visibility} MAJOR_VERSION = {major};\n"
            f"    {visibility} MINOR_VERSION = {minor};\n"
            f"    {visibility} PATCH_VERSION = {patch};\n"
            f"    {visibility} EXTRA_VERSION = '';\n"
            f"    {visibility} DEV_STATUS = 'Stable';\n"
            f"    {visibility} CODENAME = 'Tests';\n"
            "}\n",
        )
        self._joomla_common(site)
        return site

    def joomla_legacy(self, relative: str, release: str, level: str) -> Path:
        site = self.web_root / relative
        write(
            site / "libraries" / "cms" / "version" / "version.php",
            "<?php\n/**\n * @package Joomla.Libraries\n */\n\n"
            "defined('JPATH_PLATFORM') or die;\n\n"
            "final class JVersion\n{\n"
            "\t/** @var string Product name. */\n"
            "\tpublic $PRODUCT = 'Joomla!';\n\n"
            f"\tpublic $RELEASE = '{release}';\n\n"
            f"\tpublic $DEV_LEVEL = '{level}';\n\n"
            "\tpublic $DEV_STATUS = 'Stable';\n}\n",
        )
        self._joomla_common(site)
        return site

    def _joomla_common(self, site: Path) -> None:
        write(site / "index.php", "<?php\ndefine('_JEXEC', 1);\n")
        write(site / "configuration.php", "<?php\nclass JConfig {\n}\n")
        write(site / "administrator" / "index.php", "<?php\ndefine('_JEXEC', 1);\n")

    def drupal(self, relative: str, version: str) -> Path:
        site = self.web_root / relative
        write(
            site / "core" / "lib" / "Drupal.php",
            "<?php\n\n/**\n * @file\n * Static service container wrapper.\n */\n\n"
            "use Drupal\\Core\\DependencyInjection\\"
            "ContainerNotInitializedException;\n\n"
            "class Drupal {\n\n"
            "  /**\n   * The current system version.\n   */\n"
            f"  const VERSION = '{version}';\n\n"
            "  const CORE_COMPATIBILITY = '8.x';\n"
            "}\n",
        )
        write(site / "index.php", "<?php\n$autoloader = require_once 'autoload.php';\n")
        write(site / "sites" / "default" / "settings.php", "<?php\n$databases = [];\n")
        return site

    def drupal_legacy(self, relative: str, version: str, *, six: bool = False) -> Path:
        site = self.web_root / relative
        define = f"define('VERSION', '{version}');\n"
        write(
            site / "includes" / "bootstrap.inc",
            "<?php\n\n/**\n * @file\n"
            " * Functions that need to be loaded on every request.\n */\n\n"
            + ("" if six else "/**\n * The current system version.\n */\n" + define)
            + "\ndefine('DRUPAL_CORE_COMPATIBILITY', '7.x');\n",
        )
        write(
            site / "modules" / "system" / "system.module",
            "<?php\n\n/**\n * @file\n * Configuration system.\n */\n\n"
            + (define if six else "")
            + "\nfunction system_help($path, $arg) {\n}\n",
        )
        write(site / "index.php", "<?php\ndefine('DRUPAL_ROOT', getcwd());\n")
        write(site / "misc" / "drupal.js", "var Drupal = Drupal || {};\n")
        return site

    def magento(
        self,
        relative: str,
        *,
        lock_version: str | None = None,
        base_version: str | None = None,
        required: str | None = None,
    ) -> Path:
        site = self.web_root / relative
        write(
            site / "app" / "etc" / "env.php",
            "<?php\nreturn [\n    'backend' => ['frontName' => 'admin_x1'],\n"
            "    'db' => ['connection' => ['default' => ['host' => 'localhost']]],\n"
            "    'MAGE_MODE' => 'production',\n];\n",
        )
        write(site / "app" / "etc" / "di.xml", '<?xml version="1.0"?>\n<config/>\n')
        write(site / "bin" / "magento", "#!/usr/bin/env php\n<?php\n")
        write(
            site / "pub" / "index.php",
            "<?php\nrequire __DIR__ . '/../app/bootstrap.php';\n",
        )
        write(
            site / "composer.json",
            json.dumps(
                {
                    "name": "magento/project-community-edition",
                    "type": "project",
                    "require": {
                        "magento/product-community-edition": required or "^2.4",
                        "magento/composer-root-update-plugin": "^2.0.4",
                    },
                },
                indent=4,
            ),
        )
        if lock_version is not None:
            write(site / "composer.lock", json.dumps(_composer_lock(lock_version)))
        if base_version is not None:
            write(
                site / "vendor" / "magento" / "magento2-base" / "composer.json",
                json.dumps({"name": "magento/magento2-base", "version": base_version}),
            )
        return site

    def php_app(self, relative: str) -> Path:
        site = self.web_root / relative
        write(site / "public" / "index.php", "<?php\necho 'hello';\n")
        return site


def _composer_lock(version: str) -> dict[str, Any]:
    def package(name: str, package_version: str) -> dict[str, Any]:
        return {
            "name": name,
            "version": package_version,
            "source": {"type": "git", "url": f"https://example.org/{name}.git"},
            "type": "library",
        }

    return {
        "_readme": ["This file locks the dependencies of your project."],
        "content-hash": "0123456789abcdef",
        "packages": [
            package("laminas/laminas-code", "4.13.0"),
            package("magento/magento2-base", version),
            package("magento/product-community-edition", version),
            package("monolog/monolog", "2.9.2"),
        ],
        "packages-dev": [package("phpunit/phpunit", "9.6.19")],
    }


@pytest.fixture
def sites(tmp_path: Path) -> SiteFactory:
    """Factory: sites of each CMS under ``tmp_path / "www"``."""
    return SiteFactory(tmp_path / "www")


def by_path(found: list[Site], web_root: Path) -> dict[str, Site]:
    """Sites keyed by their path relative to the web root ("." for the root)."""
    return {os.path.relpath(site.path, web_root): site for site in found}
