-- pgbench: the lookup of GET /api/customers/{uuid} straight on PostgreSQL. The seed's uuids are
-- md5('patron-bench:' || customer_id), so a random id names a random seeded customer.
-- Run: pgbench -n -M prepared -c 4 -j 2 -T 5 -D customers=N -f select_by_uuid.sql DB
\set id random(1, :customers)
SELECT c.customer_id, c.uuid, c.status, c.group_id, c.email, c.full_name, c.created_at,
       c.updated_at, c.version, a.customer_address_id, a.uuid, a.full_name, a.telephone,
       a.address_1, a.address_2, a.city, a.province, a.country, a.postcode, a.is_default
FROM customer c LEFT JOIN customer_address a ON a.customer_id = c.customer_id
WHERE c.uuid = md5('patron-bench:' || :id)::uuid AND c.store_id = 1
ORDER BY a.customer_address_id;
