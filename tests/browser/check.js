// Loaded first on every page by the browser test (tests/tests/browser.rs), which reads what it
// finds from the page's DOM once the page has settled.
(function () {
    'use strict';
    const errors = [];
    const error = console.error;
    console.error = function (...args) {
        errors.push(args.map(String).join(' '));
        return error.apply(this, args);
    };
    window.addEventListener('error', (event) => {
        const target = event.target;
        if (target && target !== window && (target.src || target.href)) {
            errors.push('failed to load ' + (target.src || target.href));
        } else {
            errors.push(String(event.message));
        }
    }, true);
    // The test runs offline: a request to another site (the Rust playground's list of crates,
    // which mdBook fetches for its Run buttons) fails on purpose and is not the book's error.
    const offline = new Error('offline: another site');
    const fetch = window.fetch;
    window.fetch = function (resource, options) {
        const url = new URL(resource instanceof Request ? resource.url : resource, location.href);
        return url.origin === location.origin ? fetch.call(this, resource, options) : Promise.reject(offline);
    };
    window.addEventListener('unhandledrejection', (event) => {
        if (event.reason !== offline) {
            errors.push('unhandled rejection: ' + event.reason);
        }
    });

    function describe(el) {
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
            (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '');
        const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
        return name + ' "' + text + '"';
    }

    // Code blocks and diagrams keep their layout and scroll sideways inside a box that fits;
    // everything else must fit the column itself.
    function scrollsInside(el) {
        return el.closest('pre, figure.diagram') !== null;
    }

    function report() {
        const main = document.querySelector('main');
        const column = main ? main.getBoundingClientRect() : null;
        const wide = [];
        if (column) {
            for (const el of main.querySelectorAll('*')) {
                if (scrollsInside(el) && !el.matches('pre, figure.diagram')) {
                    continue;
                }
                const box = el.getBoundingClientRect();
                if (box.width === 0 || box.height === 0) {
                    continue;
                }
                const parent = el.parentElement.getBoundingClientRect();
                const over = box.right > column.right + 1 || box.left < column.left - 1;
                const parentOver = parent.right > column.right + 1 || parent.left < column.left - 1;
                if (over && (el.parentElement === main || !parentOver)) {
                    wide.push(describe(el) + ' reaches ' + Math.round(box.left - column.left) +
                        '..' + Math.round(box.right - column.left) + ' px in a column of ' +
                        Math.round(column.width) + ' px');
                }
            }
        }
        const page = document.documentElement.scrollWidth;
        if (page > window.innerWidth + 1) {
            wide.push('the page is ' + page + ' px wide in a window of ' + window.innerWidth + ' px');
        }
        // The smallest text in each diagram, as drawn on the screen.
        const small = [];
        for (const svg of document.querySelectorAll('figure.diagram svg')) {
            const scale = svg.getScreenCTM() ? svg.getScreenCTM().a : 1;
            let least = Infinity;
            for (const text of svg.querySelectorAll('text')) {
                least = Math.min(least, parseFloat(getComputedStyle(text).fontSize) * scale);
            }
            if (least < 10) {
                small.push(describe(svg) + ' has text drawn at ' + least.toFixed(1) + ' px');
            }
        }
        const images = Array.from(document.images)
            .filter((img) => !img.complete || img.naturalWidth === 0)
            .map((img) => img.getAttribute('src'));
        const results = Array.from(document.querySelectorAll('#mdbook-searchresults a, #searchresults a'))
            .map((a) => a.getAttribute('href'));
        const out = document.createElement('pre');
        out.id = 'course-check';
        out.hidden = true;
        out.textContent = JSON.stringify({ errors, wide, small, images, results });
        document.body.appendChild(out);
    }

    // A search given in the URL runs once the index has arrived: wait for its results header.
    function settle(waited) {
        const header = document.getElementById('mdbook-searchresults-header');
        const searching = new URLSearchParams(location.search).has('search');
        if (searching && waited < 10000 && !(header && header.textContent.trim())) {
            setTimeout(() => settle(waited + 250), 250);
        } else {
            report();
        }
    }

    window.addEventListener('load', () => setTimeout(() => settle(1000), 1000));
})();
