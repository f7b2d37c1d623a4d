/*
 * index.c - person clusters, employer numbers and SI chains (see index.h).
 *
 * An identifier is packed into a 64-bit key: kind (3 bits), length
 * (5 bits) and its characters as a number (digits in base 10, passports in
 * base 37), so lookups hash 8 bytes and compare integers.  Normalized IDs
 * have a fixed length per kind, and the length is in the key anyway, so
 * "0341..." and "341..." never collide.  Union-find with path halving;
 * a cluster's id is its smallest node.  Employers are numbered once, and
 * the (employer, person) chains are keyed by (number << 32 | person).
 */
#include <string.h>
#include "sirecon/index.h"
#include "sirecon/common.h"

/* uthash allocates through xmalloc, which dies on OOM; its fatal path is
 * therefore never reached, but route it to the same message if it is. */
#undef uthash_fatal
#define uthash_fatal(msg) ((void)xmalloc(SIZE_MAX))
#define uthash_malloc(sz) xmalloc(sz)
#include <uthash.h>

struct idnode {
    uint64_t key;
    uint32_t node;
    UT_hash_handle hh;
};

struct emp_node {
    const char *emp;
    uint32_t id;
    uint32_t head, tail;
    int registry;
    UT_hash_handle hh;
};

struct ep_node {
    uint64_t key;
    uint32_t head, tail;
    UT_hash_handle hh;
};

struct p_node {
    uint32_t person;
    uint32_t head, tail;
    UT_hash_handle hh;
};

/* kind:3 | length:5 | value:56 */
STATIC uint64_t
index_pack_id(id_kind k, const char *v)
{
    uint64_t x = 0;
    size_t n = strlen(v);
    bool digits = true;

    for (size_t i = 0; i < n; i++)
        if (v[i] < '0' || v[i] > '9')
            digits = false;
    for (size_t i = 0; i < n && i < 15; i++) {
        unsigned c = (unsigned char)v[i];
        if (digits)
            x = x * 10 + (c - '0');
        else
            x = x * 37 + (c >= '0' && c <= '9' ? c - '0' + 1
                          : c >= 'A' && c <= 'Z' ? c - 'A' + 11 : 0);
    }
    return ((uint64_t)k << 61) | ((uint64_t)(n & 31) << 56) | (x & ((1ull << 56) - 1));
}

static uint32_t
find(struct index *ix, uint32_t x)
{
    while (ix->parent[x] != x) {
        ix->parent[x] = ix->parent[ix->parent[x]];
        x = ix->parent[x];
    }
    return x;
}

static void
unite(struct index *ix, uint32_t a, uint32_t b)
{
    a = find(ix, a);
    b = find(ix, b);
    if (a < b)
        ix->parent[b] = a;
    else if (b < a)
        ix->parent[a] = b;
}

static uint32_t
node_of(struct index *ix, struct dataset *ds, id_kind k, const char *v)
{
    uint64_t key = index_pack_id(k, v);
    struct idnode *n;

    HASH_FIND(hh, ix->ids, &key, sizeof key, n);
    if (n != NULL)
        return n->node;
    n = arena_alloc(&ds->a, sizeof *n);
    memset(n, 0, sizeof *n);
    n->key = key;
    n->node = (uint32_t)ix->nnodes;
    ix->parent = xgrow(ix->parent, &ix->capnodes, ix->nnodes + 1, sizeof *ix->parent);
    ix->parent[ix->nnodes++] = n->node;
    HASH_ADD(hh, ix->ids, key, sizeof n->key, n);
    return n->node;
}

/* Join all identifiers of one record; returns its first node or PERSON_NONE. */
static uint32_t
link_ids(struct index *ix, struct dataset *ds, const struct person_ids *p)
{
    uint32_t first = PERSON_NONE;

    for (int k = 0; k < IDK_COUNT; k++) {
        if (p->id[k] == NULL)
            continue;
        uint32_t n = node_of(ix, ds, (id_kind)k, p->id[k]);
        if (first == PERSON_NONE)
            first = n;
        else
            unite(ix, first, n);
    }
    return first;
}

/* The node of an employer code, created (numbered) when new. */
static struct emp_node *
emp_of(struct index *ix, struct dataset *ds, const char *code, int registry)
{
    struct emp_node *e;
    size_t len = strlen(code);

    HASH_FIND(hh, ix->emps, code, len, e);
    if (e != NULL)
        return e;
    e = arena_alloc(&ds->a, sizeof *e);
    memset(e, 0, sizeof *e);
    e->emp = code;
    e->id = (uint32_t)ix->nemp_ids;
    e->head = e->tail = CHAIN_END;
    e->registry = registry;
    ix->emp_by_id = xgrow(ix->emp_by_id, &ix->capemp_ids, ix->nemp_ids + 1,
                          sizeof *ix->emp_by_id);
    ix->emp_by_id[ix->nemp_ids++] = e;
    HASH_ADD_KEYPTR(hh, ix->emps, e->emp, len, e);
    return e;
}

void
index_build(struct index *ix, struct dataset *ds)
{
    size_t i;

    memset(ix, 0, sizeof *ix);
    for (i = 0; i < ds->ntax; i++)
        ds->tax[i].person = link_ids(ix, ds, &ds->tax[i].ids);
    for (i = 0; i < ds->nsi; i++)
        ds->si[i].person = link_ids(ix, ds, &ds->si[i].ids);
    for (i = 0; i < ds->nidents; i++)
        link_ids(ix, ds, &ds->idents[i].ids);
    for (i = 0; i < ds->ntax; i++)
        if (ds->tax[i].person != PERSON_NONE)
            ds->tax[i].person = find(ix, ds->tax[i].person);
    for (i = 0; i < ds->nsi; i++)
        if (ds->si[i].person != PERSON_NONE)
            ds->si[i].person = find(ix, ds->si[i].person);

    /* employers: the registry first (its first row of a code wins), then
     * every code the records carry */
    for (i = 0; i < ds->nemps; i++)
        emp_of(ix, ds, ds->emps[i].emp, (int)i);
    const char *last = NULL;
    uint32_t last_id = 0;
    for (i = 0; i < ds->ntax; i++) {
        /* consecutive records of one file usually share the employer */
        if (last == NULL || strcmp(last, ds->tax[i].emp) != 0) {
            last = ds->tax[i].emp;
            last_id = emp_of(ix, ds, last, -1)->id;
        }
        ds->tax[i].emp_id = last_id;
    }
    ix->next_emp = xmalloc((ds->nsi ? ds->nsi : 1) * sizeof *ix->next_emp);
    ix->next_ep = xmalloc((ds->nsi ? ds->nsi : 1) * sizeof *ix->next_ep);
    ix->next_p = xmalloc((ds->nsi ? ds->nsi : 1) * sizeof *ix->next_p);
    struct emp_node *e = NULL;
    last = NULL;
    for (i = 0; i < ds->nsi; i++) {
        struct si_rec *s = &ds->si[i];
        uint32_t si = (uint32_t)i;
        ix->next_emp[i] = ix->next_ep[i] = ix->next_p[i] = CHAIN_END;
        if (s->emp == NULL) {
            s->emp_id = UINT32_MAX;
            continue;
        }
        if (last == NULL || strcmp(last, s->emp) != 0) {
            last = s->emp;
            e = emp_of(ix, ds, last, -1);
        }
        s->emp_id = e->id;
        if (e->head == CHAIN_END)
            e->head = si;
        else
            ix->next_emp[e->tail] = si;
        e->tail = si;
        if (s->person == PERSON_NONE)
            continue;
        uint64_t k = ((uint64_t)e->id << 32) | s->person;
        struct ep_node *ep;
        HASH_FIND(hh, ix->eps, &k, sizeof k, ep);
        if (ep == NULL) {
            ep = arena_alloc(&ds->a, sizeof *ep);
            memset(ep, 0, sizeof *ep);
            ep->key = k;
            ep->head = ep->tail = CHAIN_END;
            HASH_ADD(hh, ix->eps, key, sizeof ep->key, ep);
        }
        if (ep->head == CHAIN_END)
            ep->head = si;
        else
            ix->next_ep[ep->tail] = si;
        ep->tail = si;
        struct p_node *pn;
        HASH_FIND(hh, ix->persons, &s->person, sizeof s->person, pn);
        if (pn == NULL) {
            pn = arena_alloc(&ds->a, sizeof *pn);
            memset(pn, 0, sizeof *pn);
            pn->person = s->person;
            pn->head = pn->tail = CHAIN_END;
            HASH_ADD(hh, ix->persons, person, sizeof pn->person, pn);
        }
        if (pn->head == CHAIN_END)
            pn->head = si;
        else
            ix->next_p[pn->tail] = si;
        pn->tail = si;
    }
}

void
index_free(struct index *ix)
{
    /* items live in the arena: only the tables' buckets are ours */
    HASH_CLEAR(hh, ix->ids);
    HASH_CLEAR(hh, ix->emps);
    HASH_CLEAR(hh, ix->eps);
    HASH_CLEAR(hh, ix->persons);
    free(ix->parent);
    free(ix->emp_by_id);
    free(ix->next_emp);
    free(ix->next_ep);
    free(ix->next_p);
    memset(ix, 0, sizeof *ix);
}

uint32_t
index_emp_si(const struct index *ix, const char *emp, int *registry)
{
    struct emp_node *e;

    HASH_FIND(hh, ix->emps, emp, strlen(emp), e);
    if (registry)
        *registry = e ? e->registry : -1;
    return e ? e->head : CHAIN_END;
}

uint32_t
index_emp_si_by_id(const struct index *ix, uint32_t emp_id)
{
    return emp_id < ix->nemp_ids ? ix->emp_by_id[emp_id]->head : CHAIN_END;
}

int
index_registry(const struct index *ix, const char *emp)
{
    int r;

    index_emp_si(ix, emp, &r);
    return r;
}

uint32_t
index_emp_person_si_by_id(const struct index *ix, uint32_t emp_id, uint32_t person)
{
    struct ep_node *ep;
    uint64_t k = ((uint64_t)emp_id << 32) | person;

    if (person == PERSON_NONE || emp_id >= ix->nemp_ids)
        return CHAIN_END;
    HASH_FIND(hh, ix->eps, &k, sizeof k, ep);
    return ep ? ep->head : CHAIN_END;
}

uint32_t
index_emp_person_si(const struct index *ix, const char *emp, uint32_t person)
{
    struct emp_node *e;

    HASH_FIND(hh, ix->emps, emp, strlen(emp), e);
    return e ? index_emp_person_si_by_id(ix, e->id, person) : CHAIN_END;
}

uint32_t
index_person_si(const struct index *ix, uint32_t person)
{
    struct p_node *pn;

    if (person == PERSON_NONE)
        return CHAIN_END;
    HASH_FIND(hh, ix->persons, &person, sizeof person, pn);
    return pn ? pn->head : CHAIN_END;
}
