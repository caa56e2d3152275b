-- 041_test_results: results recognised across the county (检查检验结果互认, issue 19): the
-- laboratory and imaging results of any institution, each kept with its source and date, and
-- the items the county recognises with how long a result stays valid (a county extends the
-- list; seed 003's Changning recognises 65 laboratory and 265 imaging items).
CREATE TABLE recognised_items (
    code       TEXT PRIMARY KEY,
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('lab','imaging')),
    valid_days INTEGER NOT NULL CHECK (valid_days BETWEEN 1 AND 365)
);
INSERT INTO recognised_items (code, name_zh, name_en, kind, valid_days) VALUES
    ('cbc', '血常规', 'Complete blood count', 'lab', 7),
    ('urine', '尿常规', 'Urinalysis', 'lab', 7),
    ('fbg', '空腹血糖', 'Fasting glucose', 'lab', 7),
    ('hba1c', '糖化血红蛋白', 'HbA1c', 'lab', 90),
    ('lipids', '血脂四项', 'Lipid panel', 'lab', 30),
    ('liver', '肝功能', 'Liver function', 'lab', 30),
    ('renal', '肾功能', 'Renal function', 'lab', 30),
    ('electrolytes', '电解质', 'Electrolytes', 'lab', 7),
    ('coagulation', '凝血功能', 'Coagulation', 'lab', 7),
    ('hbv', '乙肝两对半', 'Hepatitis B serology', 'lab', 180),
    ('tumour_markers', '肿瘤标志物', 'Tumour markers', 'lab', 90),
    ('ecg', '心电图', 'ECG', 'imaging', 30),
    ('chest_xray', '胸部X线', 'Chest X-ray', 'imaging', 90),
    ('abdominal_us', '腹部B超', 'Abdominal ultrasound', 'imaging', 90),
    ('cardiac_us', '心脏彩超', 'Echocardiography', 'imaging', 180),
    ('carotid_us', '颈动脉彩超', 'Carotid ultrasound', 'imaging', 180),
    ('ct_head', '头颅CT', 'Head CT', 'imaging', 180),
    ('ct_chest', '胸部CT', 'Chest CT', 'imaging', 180),
    ('mri_head', '头颅MRI', 'Head MRI', 'imaging', 180),
    ('dxa', '骨密度', 'Bone density', 'imaging', 365);

CREATE TABLE test_results (
    id             INTEGER PRIMARY KEY,
    resident_id    INTEGER NOT NULL REFERENCES residents(id),
    item           TEXT NOT NULL REFERENCES recognised_items(code),
    taken_on       TEXT NOT NULL,
    value          TEXT,                         -- a number with its unit, or the report's words
    conclusion     TEXT,
    institution_id INTEGER REFERENCES institutions(id),
    source         TEXT,                         -- the sending system, when not an institution of the grid
    recorded_by    INTEGER REFERENCES users(id),
    county_code    TEXT NOT NULL,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX test_results_resident ON test_results(resident_id, item, taken_on);
