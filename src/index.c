/*
 * index.c - person clusters and SI chains (see index.h).
 *
 * Identifier keys are "<kind letter><value>" in a stack buffer for lookups
 * and in the dataset's arena when stored.  Union-find with path halving and
 * union by smaller root index keeps clusters deterministic for a given set
 * of records: a cluster's id is its smallest node, and nodes are numbered in
 * record order, which does not matter for decisions (only equality does).
 */
#include <string.h>
#include "sirecon/index.h"
#include "sirecon/common.h"

#undef uthash_fatal
/* uthash allocates through xmalloc, which dies on OOM; its fatal path is
 * therefore never reached, but route it to the same message if it is. */
#define uthash_fatal(msg) ((void)xmalloc(SIZE_MAX))
#define uthash_malloc(sz) xmalloc(sz)
#include <uthash.h>

struct idnode {
    const char *key;
    uint32_t node;
    UT_hash_handle hh;
};

struct emp_node {
    const char *emp;
    uint32_t head, tail;
    int registry;
    UT_hash_handle hh;
};

struct ep_key {
    char emp[16];
    uint32_t person;
};

struct ep_node {
    struct ep_key k;
    uint32_t head, tail;
    UT_hash_handle hh;
};

struct p_node {
    uint32_t person;
    uint32_t head, tail;
    UT_hash_handle hh;
};

static const char kind_letter[IDK_COUNT] = {'P', 'T', 'C', 'S', 'X'};

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
    char key[IDS_MAX + 2];
    struct idnode *n;
    size_t len = strlen(v);

    key[0] = kind_letter[k];
    memcpy(key + 1, v, len + 1);
    HASH_FIND(hh, ix->ids, key, len + 1, n);
    if (n != NULL)
        return n->node;
    n = arena_alloc(&ds->a, sizeof *n);
    memset(n, 0, sizeof *n);
    n->key = arena_strndup(&ds->a, key, len + 1);
    n->node = (uint32_t)ix->nnodes;
    ix->parent = xgrow(ix->parent, &ix->capnodes, ix->nnodes + 1, sizeof *ix->parent);
    ix->parent[ix->nnodes++] = n->node;
    HASH_ADD_KEYPTR(hh, ix->ids, n->key, len + 1, n);
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

static void
ep_key(struct ep_key *k, const char *emp, uint32_t person)
{
    memset(k, 0, sizeof *k);
    strncpy(k->emp, emp, sizeof k->emp - 1);
    k->person = person;
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

    /* employers: registry first, so every code knows its registry row */
    for (i = 0; i < ds->nemps; i++) {
        struct emp_node *e;
        const char *code = ds->emps[i].emp;
        HASH_FIND(hh, ix->emps, code, strlen(code), e);
        if (e != NULL)
            continue; /* the first registry row of a code wins */
        e = arena_alloc(&ds->a, sizeof *e);
        memset(e, 0, sizeof *e);
        e->emp = code;
        e->head = e->tail = CHAIN_END;
        e->registry = (int)i;
        HASH_ADD_KEYPTR(hh, ix->emps, e->emp, strlen(e->emp), e);
    }
    ix->next_emp = xmalloc((ds->nsi ? ds->nsi : 1) * sizeof *ix->next_emp);
    ix->next_ep = xmalloc((ds->nsi ? ds->nsi : 1) * sizeof *ix->next_ep);
    ix->next_p = xmalloc((ds->nsi ? ds->nsi : 1) * sizeof *ix->next_p);
    for (i = 0; i < ds->nsi; i++) {
        struct si_rec *s = &ds->si[i];
        uint32_t si = (uint32_t)i;
        struct emp_node *e;
        ix->next_emp[i] = ix->next_ep[i] = ix->next_p[i] = CHAIN_END;
        if (s->emp == NULL)
            continue;
        HASH_FIND(hh, ix->emps, s->emp, strlen(s->emp), e);
        if (e == NULL) {
            e = arena_alloc(&ds->a, sizeof *e);
            memset(e, 0, sizeof *e);
            e->emp = s->emp;
            e->head = e->tail = CHAIN_END;
            e->registry = -1;
            HASH_ADD_KEYPTR(hh, ix->emps, e->emp, strlen(e->emp), e);
        }
        if (e->head == CHAIN_END)
            e->head = si;
        else
            ix->next_emp[e->tail] = si;
        e->tail = si;
        if (s->person == PERSON_NONE)
            continue;
        struct ep_key k;
        struct ep_node *ep;
        ep_key(&k, s->emp, s->person);
        HASH_FIND(hh, ix->eps, &k, sizeof k, ep);
        if (ep == NULL) {
            ep = arena_alloc(&ds->a, sizeof *ep);
            memset(ep, 0, sizeof *ep);
            ep->k = k;
            ep->head = ep->tail = CHAIN_END;
            HASH_ADD(hh, ix->eps, k, sizeof k, ep);
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

int
index_registry(const struct index *ix, const char *emp)
{
    int r;

    index_emp_si(ix, emp, &r);
    return r;
}

uint32_t
index_emp_person_si(const struct index *ix, const char *emp, uint32_t person)
{
    struct ep_key k;
    struct ep_node *ep;

    if (person == PERSON_NONE)
        return CHAIN_END;
    ep_key(&k, emp, person);
    HASH_FIND(hh, ix->eps, &k, sizeof k, ep);
    return ep ? ep->head : CHAIN_END;
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
