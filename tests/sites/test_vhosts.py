"""Virtual hosts from nginx and Apache configuration, and the URLs they give."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleanshift.sites.discovery import discover_sites
from cleanshift.sites.vhosts import VirtualHost, find_vhost_roots
from tests.sites.conftest import SiteFactory, by_path, write

NGINX_MAIN = """\
user www-data;
worker_processes auto;
include /etc/nginx/modules-enabled/*.conf;

events { worker_connections 768; }

http {
    sendfile on;
    include mime.types;   # relative: next to nginx.conf
    include conf.d/*.conf;
    include sites-enabled/*;
}
"""

NGINX_EXAMPLE = """\
# Redirect everything to HTTPS.  A brace in a comment: { }
server {
    listen 80;
    listen [::]:80;
    server_name example.com www.example.com;
    return 301 https://$host$request_uri;
}

server {
    listen 443 ssl http2;
    listen [::]:443 ssl http2;
    server_name   "example.com"   www.example.com ;
    root "{web}/example.com/public_html";   # quoted, with a comment after
    include snippets/ssl-example.conf;
    index index.php index.html;

    location / {
        try_files $uri $uri/ /index.php?$args;
    }
    location ~ \\.php$ {
        include snippets/fastcgi-php.conf;
        fastcgi_pass unix:/run/php/php8.2-fpm.sock;
    }
}
"""

NGINX_MAGENTO = """\
upstream fastcgi_backend { server unix:/run/php/php8.2-fpm.sock; }
server {
    listen 8080;
    server_name shop.example.com;
    set $MAGE_ROOT {web}/shop;
    root ${MAGE_ROOT}/pub;
}
server {
    listen 80 default_server;
    server_name _;
    root /var/www/html;
}
server {
    listen 80;
    server_name ~^(?<sub>.+)\\.example\\.net$;
    root /srv/wildcard;
}
server {
    listen 80;
    server_name legacy.example.org;
    location / {
        root {web}/legacy;
    }
}
"""

APACHE_SITE = """\
# Managed by hand.
<VirtualHost *:80>
    ServerName blog.example.org
    ServerAlias www.blog.example.org \\
                old-blog.example.org
    DocumentRoot "{web}/blog"
    <Directory "{web}/blog">
        AllowOverride All
    </Directory>
    ErrorLog ${{APACHE_LOG_DIR}}/blog-error.log
</VirtualHost>

<IfModule mod_ssl.c>
<VirtualHost _default_:8443>
    ServerName https://secure.example.org:8443
    DocumentRoot {web}/secure
    SSLEngine on
    Include /etc/letsencrypt/options-ssl-apache.conf
</VirtualHost>
</IfModule>

<virtualhost 10.0.0.5:443>
  serveralias alias-only.example.org
  documentroot '{web}/alias only'
</virtualhost>

<VirtualHost *:80>
    ServerName variable.example.org
    DocumentRoot ${{SITE_ROOT}}/variable
</VirtualHost>

Include extra/*.conf

<VirtualHost *:80>
    ServerName unclosed.example.org
    DocumentRoot {web}/unclosed
"""


def nginx_tree(etc: Path, web: Path) -> Path:
    nginx = etc / "nginx"
    write(nginx / "nginx.conf", NGINX_MAIN)
    write(nginx / "mime.types", "types {\n    text/html html;\n}\n")
    write(nginx / "snippets" / "ssl-example.conf", "ssl_certificate /x.pem;\n")
    write(nginx / "snippets" / "fastcgi-php.conf", "fastcgi_index index.php;\n")
    available = nginx / "sites-available"
    write(available / "example.com", NGINX_EXAMPLE.replace("{web}", str(web)))
    write(available / "shop", NGINX_MAGENTO.replace("{web}", str(web)))
    (nginx / "sites-enabled").mkdir()
    for name in ("example.com", "shop"):
        (nginx / "sites-enabled" / name).symlink_to(available / name)
    write(nginx / "conf.d" / "loop.conf", "include conf.d/loop.conf;\n")
    write(nginx / "conf.d" / "junk.conf", 'server { server { } } } } { ;;; "unclosed\n')
    write(nginx / "conf.d" / "binary.conf", bytes(range(256)) * 8)
    write(nginx / "conf.d" / "deep.conf", "a {" * 100_000)
    return nginx


def apache_tree(etc: Path, web: Path) -> Path:
    apache = etc / "apache2"
    write(apache / "sites-enabled" / "blog.conf", APACHE_SITE.format(web=web))
    write(
        apache / "extra" / "included.conf",
        f"<VirtualHost *:80>\n  ServerName included.example.org\n"
        f"  DocumentRoot {web}/included/\n</VirtualHost>\n",
    )
    write(
        apache / "sites-enabled" / "junk.conf",
        "<VirtualHost\n\"'\\\n<<>>\nDocumentRoot\n",
    )
    return apache


def summary(hosts: list[VirtualHost]) -> dict[str, tuple[str | None, str]]:
    return {
        host.names[0] if host.names else "": (host.url, host.root) for host in hosts
    }


def test_nginx_servers_with_includes_comments_and_quotes(tmp_path: Path) -> None:
    web = tmp_path / "www"
    nginx = nginx_tree(tmp_path / "etc", web)

    hosts = find_vhost_roots([nginx / "nginx.conf"])

    assert summary(hosts) == {
        "example.com": ("https://example.com", f"{web}/example.com/public_html"),
        "shop.example.com": ("http://shop.example.com:8080", f"{web}/shop/pub"),
        "_": (None, "/var/www/html"),
        "~^(?<sub>.+)\\.example\\.net$": (None, "/srv/wildcard"),
        "legacy.example.org": ("http://legacy.example.org", f"{web}/legacy"),
    }
    [example] = [host for host in hosts if host.root.endswith("public_html")]
    assert example.names == ("example.com", "www.example.com")
    assert (example.server, example.port, example.tls) == ("nginx", 443, True)
    assert example.config_path == str(nginx / "sites-enabled" / "example.com")


def test_nginx_files_met_twice_are_read_once(tmp_path: Path) -> None:
    nginx = nginx_tree(tmp_path / "etc", tmp_path / "www")

    hosts = find_vhost_roots(
        [nginx / "nginx.conf", nginx / "sites-enabled", nginx / "conf.d" / "*.conf"]
    )

    assert len(hosts) == 5


def test_apache_virtual_hosts(tmp_path: Path) -> None:
    web = tmp_path / "www"
    apache = apache_tree(tmp_path / "etc", web)

    hosts = find_vhost_roots([apache / "sites-enabled"])

    assert summary(hosts) == {
        "blog.example.org": ("http://blog.example.org", f"{web}/blog"),
        "secure.example.org": ("https://secure.example.org:8443", f"{web}/secure"),
        "alias-only.example.org": (
            "https://alias-only.example.org",
            f"{web}/alias only",
        ),
        "included.example.org": ("http://included.example.org", f"{web}/included"),
        "unclosed.example.org": ("http://unclosed.example.org", f"{web}/unclosed"),
    }
    [blog] = [host for host in hosts if host.root.endswith("/blog")]
    assert blog.names == (
        "blog.example.org",
        "www.blog.example.org",
        "old-blog.example.org",
    )


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe\x00junk", b"server {" * 50_000, b"<VirtualHost *:80>\n" * 1000],
)
def test_junk_configuration_gives_nothing_and_raises_nothing(
    tmp_path: Path, content: bytes
) -> None:
    write(tmp_path / "site.conf", content)

    assert find_vhost_roots([tmp_path / "site.conf", tmp_path / "missing.conf"]) == []


def test_system_configuration_is_read_without_failing() -> None:
    hosts = find_vhost_roots()

    assert all(host.root.startswith("/") for host in hosts)


def test_sites_get_the_url_of_the_host_that_serves_them(
    tmp_path: Path, sites: SiteFactory
) -> None:
    nginx = nginx_tree(tmp_path / "etc", sites.web_root)
    apache = apache_tree(tmp_path / "etc", sites.web_root)
    sites.wordpress("example.com/public_html")
    sites.wordpress("example.com/public_html/blog dir")
    sites.magento("shop", lock_version="2.4.7")
    sites.joomla("legacy", 4, 4, 3)
    sites.drupal("secure", "10.2.3")
    sites.php_app("unserved")
    hosts = find_vhost_roots([nginx / "nginx.conf", apache / "sites-enabled"])

    found = by_path(
        discover_sites([sites.web_root], virtual_hosts=hosts), sites.web_root
    )

    assert {path: site.url for path, site in found.items()} == {
        "example.com/public_html": "https://example.com",
        "example.com/public_html/blog dir": "https://example.com/blog%20dir",
        # nginx serves Magento's pub/ folder; the shop is the site above it.
        "shop": "http://shop.example.com:8080",
        "legacy": "http://legacy.example.org",
        "secure": "https://secure.example.org:8443",
        "unserved": None,
    }
    vhost = found["shop"].vhost
    assert vhost is not None
    assert vhost["root"] == os.path.join(sites.web_root, "shop", "pub")
    assert vhost["server"] == "nginx"


def test_https_host_wins_over_http_for_the_same_root(
    tmp_path: Path, sites: SiteFactory
) -> None:
    sites.wordpress("a")
    root = str(sites.web_root / "a")
    hosts = [
        VirtualHost("apache", ("a.example",), root, False, 80, "x.conf"),
        VirtualHost("apache", ("a.example",), root, True, 443, "x.conf"),
    ]

    [site] = discover_sites([sites.web_root], virtual_hosts=hosts)

    assert site.url == "https://a.example"
