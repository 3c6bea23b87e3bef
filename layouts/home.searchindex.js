{{- /* The search index of the language (output format searchindex in hugo.toml): a classic
       script that sets window.VEIVISER_INDEX_<LANG> to the pages of layouts/_partials/search/
       search-docs.html. assets/js/search.js loads it when a reader first focuses a search box
       and builds the lunr index from it in the browser. It is rendered alongside the pages,
       and languages without search get no file (Hugo writes no empty output). */ -}}
{{- if partial "search/search-enabled.html" . -}}
{{ printf "window.VEIVISER_INDEX_%s=%s;" (upper site.Language.Lang) (jsonify (partial "search/search-docs.html" .)) }}
{{ end -}}
