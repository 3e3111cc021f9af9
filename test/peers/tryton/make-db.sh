#!/bin/sh
# Makes a Tryton 6.0 database for trying Sinew by hand and serves it: ./make-db.sh DIR [PORT]
# The admin password is read from the file named by TRYTONPASSFILE (create one; never commit it).
set -eu
dir=${1:?usage: make-db.sh DIR [PORT]}
port=${2:-8000}
: "${TRYTONPASSFILE:?set TRYTONPASSFILE to a file holding the admin password}"
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
sed -e "s#@DATA@#$dir#" -e "s#@PORT@#$port#" "$here/trytond.conf" > "$dir/trytond.conf"
if [ ! -s "$dir/erp.sqlite" ]; then
    touch "$dir/erp.sqlite"
    trytond-admin -c "$dir/trytond.conf" -d erp --all --email admin@example.org \
        -u stock stock_supply purchase_request account_invoice_stock --activate-dependencies
fi
echo "serving database erp on http://127.0.0.1:$port/ (Ctrl-C stops)"
exec trytond -c "$dir/trytond.conf" -d erp
