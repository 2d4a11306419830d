// Chinese in the book's search.
//
// elasticlunr, mdBook's search engine, trims what is not an ASCII letter or digit from both ends
// of a word, so a query of Chinese alone becomes empty and finds nothing (mdBook issue 1081). `cargo course book` adds
// every run of Chinese in the book to the search index as overlapping pairs of characters
// (线程池 -> 线程, 程池; see search.rs beside this file), and puts this script at the head of
// the index's own file, searchindex.js. It splits a query the same way and lets Chinese through
// the trimmer. Running inside the index's file, it is in place before the search loads the index
// and before the first query, whatever order the browser loads the page's scripts in. A stock
// `mdbook build` has neither the pairs nor this script: its search stays English-only.
(function () {
    'use strict';
    if (typeof elasticlunr === 'undefined' || elasticlunr.tokenizer.chinese) {
        return;
    }
    const han = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;

    // The pairs of each run of Chinese in `text`; a run of one character stays as it is.
    function pairs(text) {
        const out = [];
        for (const run of text.match(han) || []) {
            const chars = Array.from(run);
            if (chars.length === 1) {
                out.push(run);
            }
            for (let i = 0; i + 1 < chars.length; i++) {
                out.push(chars[i] + chars[i + 1]);
            }
        }
        return out;
    }

    const split = elasticlunr.tokenizer;
    function tokenizer(text) {
        const out = [];
        for (const token of split.apply(this, arguments)) {
            const rest = token.replace(han, ' ').trim();
            if (rest !== token) {
                out.push(...pairs(token));
                out.push(...split(rest).filter((t) => t !== ''));
            } else {
                out.push(token);
            }
        }
        return out;
    }
    tokenizer.seperator = split.seperator;
    tokenizer.defaultSeperator = split.defaultSeperator;
    tokenizer.setSeperator = split.setSeperator;
    tokenizer.resetSeperator = split.resetSeperator;
    tokenizer.chinese = true;
    elasticlunr.tokenizer = tokenizer;

    // The trimmer strips what is not an ASCII letter or digit from both ends of a word; a word of
    // Chinese it leaves alone. It is swapped in the registry without re-registering, which would
    // print a warning.
    const trim = elasticlunr.trimmer;
    function trimmer(token) {
        return /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/.test(token) ? token : trim(token);
    }
    trimmer.label = 'trimmer';
    elasticlunr.trimmer = trimmer;
    elasticlunr.Pipeline.registeredFunctions.trimmer = trimmer;
})();
