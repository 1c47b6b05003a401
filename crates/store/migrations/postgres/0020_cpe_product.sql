-- The products of NVD's official CPE dictionary (applications and operating systems, one
-- row per vendor and product, with a title): devices whose product no imported CVE record
-- names yet are identified from it. Each dictionary import replaces the whole list.
CREATE TABLE cpe_product (
    vendor TEXT NOT NULL,
    product TEXT NOT NULL,
    part TEXT NOT NULL CHECK (part IN ('a', 'o')),
    title TEXT NOT NULL,
    PRIMARY KEY (vendor, product)
);
