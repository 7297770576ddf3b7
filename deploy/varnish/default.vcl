vcl 4.1;
# Varnish 7.1 (Debian 12: varnish, varnish-modules) in front of Newsroom replicas.
# What differs per deployment lives in backends.vcl, found on vcl_path: the replicas
# (each with `.probe = readiness;`), a `sub vcl_init` that adds them to `cluster`, and
# the `acl purgers` that may send PURGE. backends.compose.vcl is the Compose one;
# npm run test:deploy writes its own.
#
# Debug header on every response: x-cache: hit (fresh copy), hit-stale (copy kept in
# grace, refreshed in the background), miss (fetched; a stale copy in keep makes it a
# conditional fetch that a 304 can answer), pass (never cached), synth (made here).

import directors;
import xkey;

# A replica is sent requests only while /readyz answers 200: not while it loads its
# posts, and not once it drains on SIGTERM. Two failures in a row take it out (at most
# 2 s plus a timeout after /readyz starts failing: SHUTDOWN_DRAIN_MS must be longer);
# one success brings a new replica in.
probe readiness {
    .url = "/readyz";
    .interval = 1s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
    .initial = 1;
}

# The replicas, each fetch sent to one of them at random (vcl_backend_fetch). Not a
# round_robin director: its retry takes the director's next backend, and when a replica
# dies with fetches in flight, they all fail and retry at once, so the next backend is
# often the dead one again (measured: a failed request in a few thousand). The shard
# director's alt=bereq.retries is Varnish's way to send a retry to another replica.
# Created before backends.vcl's own vcl_init adds the replicas: VCL joins the bodies
# of repeated subroutines in the order they appear, and a name must be declared first.
sub vcl_init {
    new cluster = directors.shard();
}

include "backends.vcl";

sub vcl_recv {
    unset req.http.x-cache;
    unset req.http.x-coding;
    if (req.method == "PURGE") {
        call purge_keys;
    }
    call vcl_req_host;
    # The origin answers other methods itself (405).
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Health and status are about one replica, now: never from the cache.
    if (req.url ~ "^/(healthz|readyz|status\.json)(\?|$)") {
        return (pass);
    }
    # Tracking parameters (shared links) change nothing on the page but would make
    # every visitor from a social network a miss.
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=[^&]*(&|$)", "");
        set req.url = regsub(req.url, "[?&]$", "");
    }
    # Every page is the same for every reader: no cookie changes it.
    unset req.http.Cookie;
    call choose_coding;
    return (hash);
}

# xkey purges from the replicas (CACHE_PURGE_URLS): `xkey-purge` removes the objects
# (a post's own page and body, 404s), `xkey-softpurge` expires them but keeps them for
# grace and keep (listings, feeds: answered once more while the new copy is fetched,
# revalidated with a conditional request).
sub purge_keys {
    if (client.ip !~ purgers) {
        return (synth(403, "Forbidden"));
    }
    if (!req.http.xkey-purge && !req.http.xkey-softpurge) {
        return (synth(400, "xkey-purge or xkey-softpurge header required"));
    }
    set req.http.x-purged = 0;
    set req.http.x-softpurged = 0;
    if (req.http.xkey-purge) {
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
    }
    if (req.http.xkey-softpurge) {
        set req.http.x-softpurged = xkey.softpurge(req.http.xkey-softpurge);
    }
    return (synth(200, "Purged"));
}

# The origin serves br, gzip and identity, each with its own strong ETag. Varnish on
# its own would ask the origin for gzip whatever the client takes (http_gzip_support)
# and store only that: br would never reach a browser, though it is 10-15 % smaller
# than gzip on our pages, and every browser asks for it. So the coding is chosen here
# as br, gzip or none; it is part of the hash (at most three objects per URL, a few KB
# each, all purged by their keys), and vcl_backend_fetch asks the origin for exactly
# that coding (Varnish's own fetch would say gzip). Accept-Encoding is reduced to the
# same value so the Vary check inside each hash always matches.
sub choose_coding {
    if (req.http.Accept-Encoding ~ "(?i)(^|,)\s*br\s*(;\s*q=(1(\.0*)?|0?\.0*[1-9][0-9]*)\s*)?(,|$)") {
        set req.http.x-coding = "br";
    } elsif (req.http.Accept-Encoding ~ "(?i)(^|,)\s*(x-)?gzip\s*(;\s*q=(1(\.0*)?|0?\.0*[1-9][0-9]*)\s*)?(,|$)") {
        set req.http.x-coding = "gzip";
    }
    if (req.http.x-coding) {
        set req.http.Accept-Encoding = req.http.x-coding;
    } else {
        unset req.http.Accept-Encoding;
    }
}

sub vcl_hash {
    if (req.http.x-coding) {
        hash_data(req.http.x-coding);
    }
}

sub vcl_hit {
    if (obj.ttl >= 0s) {
        set req.http.x-cache = "hit";
    } else {
        set req.http.x-cache = "hit-stale";
    }
}

sub vcl_miss {
    set req.http.x-cache = "miss";
}

sub vcl_pass {
    set req.http.x-cache = "pass";
}

sub vcl_backend_fetch {
    unset bereq.http.x-cache;
    # The fetch's own id picks a replica (spread like a round robin); its retries take
    # the next ones on the shard ring for that key, never the one that just failed.
    if (bereq.retries == 0) {
        set bereq.http.x-fetch = bereq.xid;
    }
    set bereq.backend = cluster.backend(by=KEY, key=cluster.key(bereq.http.x-fetch), alt=bereq.retries, healthy=ALL);
    if (bereq.http.x-coding) {
        set bereq.http.Accept-Encoding = bereq.http.x-coding;
    } else {
        unset bereq.http.Accept-Encoding;
    }
}

sub vcl_backend_response {
    # A replica that answers 5xx may be failing alone: another one gets the retry (only
    # GET and HEAD, which are safe to send twice).
    if (beresp.status >= 500 && bereq.retries < 3 && bereq.method ~ "^(GET|HEAD)$") {
        return (retry);
    }
    # A background refresh that failed keeps the stale copy rather than storing the error.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.ttl > 0s && beresp.http.Cache-Control ~ "(?i)(^|,)\s*public\s*(,|$)") {
        # The origin sets no cookie; one that slipped in must not be shared.
        unset beresp.http.Set-Cookie;
        # ttl comes from s-maxage (a day once purges are on) and grace from
        # stale-while-revalidate, both parsed by Varnish itself. Past both, the copy is
        # kept a day more as a template: the next request asks the origin with
        # If-None-Match, and an unchanged page costs a 304, not a render and a transfer.
        set beresp.keep = 1d;
    }
}

sub vcl_backend_error {
    # The replica could not be reached or closed the connection before answering
    # (killed, restarting): the probe takes up to 2 s to notice; meanwhile another
    # replica takes the retry.
    if (bereq.retries < 3 && bereq.method ~ "^(GET|HEAD)$") {
        return (retry);
    }
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    # The keys stay on the stored object (xkey indexes them); clients have no use for them.
    unset resp.http.xkey;
    # s-maxage is for this cache, which the replicas purge. A shared cache further on (an
    # office proxy) hears of no purge: it must keep to max-age, as browsers do. (A CDN in
    # front that is purged too, through CACHE_PURGE_URLS, would want it kept.)
    if (resp.http.Cache-Control ~ "s-maxage") {
        set resp.http.Cache-Control = regsub(resp.http.Cache-Control, "(?i)\s*,\s*s-maxage=[0-9]+", "");
    }
    set resp.http.x-cache = req.http.x-cache;
}

sub vcl_synth {
    set resp.http.x-cache = "synth";
    if (req.method == "PURGE" && resp.status == 200) {
        set resp.http.Content-Type = "application/json";
        set resp.body = {"{"purged":"} + req.http.x-purged + {","softpurged":"} + req.http.x-softpurged + "}";
        return (deliver);
    }
}
