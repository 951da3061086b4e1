"""Which knowledge-base substances a resolved query *is*, and on what basis (listed, salt, isomer).

Built once from the knowledge base: every substance's standardized structure, its InChIKey and
connectivity block, its heavy-atom composition, and the name/CAS maps the resolver reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from precursor_watch.chem import StandardStructure, standardize_text
from precursor_watch.domain import ControlBasis
from precursor_watch.substances.knowledge_base import KnowledgeBase
from precursor_watch.substances.name_index import NameIndex
from precursor_watch.substances.resolve import Resolution, ResolvedBy, Resolver


@dataclass(frozen=True, slots=True)
class Identity:
    """The knowledge-base substances a structure corresponds to, and on what basis."""

    substance_ids: tuple[str, ...]
    basis: ControlBasis


NO_IDENTITY_BASIS = ControlBasis.CLASS  # an unlisted structure can only be covered by a class


class IdentityIndex:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.structures: dict[str, StandardStructure] = {}
        inchikeys: dict[str, str] = {}
        connectivity: dict[str, list[str]] = {}
        skeletons: dict[str, list[str]] = {}
        for record in kb.substances:
            if not record.smiles:
                continue
            structure = standardize_text(record.smiles)
            self.structures[record.substance_id] = structure
            inchikeys.setdefault(structure.inchikey, record.substance_id)
            connectivity.setdefault(structure.connectivity, []).append(record.substance_id)
            skeletons.setdefault(structure.stereo_removed_smiles, []).append(record.substance_id)
        self._skeletons = {k: tuple(v) for k, v in skeletons.items()}
        self._inchikeys = inchikeys
        self._connectivity = {k: tuple(v) for k, v in connectivity.items()}
        self._compositions = frozenset(s.composition for s in self.structures.values())
        names = NameIndex(
            [(s.preferred_name, s.substance_id) for s in kb.substances]
            + [(syn.name, syn.substance_id) for syn in kb.synonyms]
        )
        self.resolver = Resolver(
            names,
            {s.cas: s.substance_id for s in kb.substances if s.cas},
            {salt.cas: salt.substance_id for salt in kb.salts if salt.cas},
            inchikeys,
            self._connectivity,
        )

    def identify(self, resolution: Resolution) -> tuple[Identity, StandardStructure | None]:
        """The substances ``resolution`` designates, with the basis of the match.

        A structure is compared by heavy-atom composition first (a dict lookup), then by its
        stereo-free canonical SMILES (the listed substance, a salt or charged form of it, or a
        stereoisomer), and only then by InChIKey and connectivity block (tautomers and other
        drawings that canonical SMILES does not merge), because InChI is the costliest step.
        """
        if resolution.substance_id is not None:
            basis = ControlBasis.LISTED
            if resolution.resolved_by is ResolvedBy.SALT_CAS:
                basis = ControlBasis.SALT
            elif resolution.resolved_by is ResolvedBy.INCHIKEY_CONNECTIVITY:
                basis = ControlBasis.ISOMER
            structure = self.structures.get(resolution.substance_id)
            return Identity((resolution.substance_id,), basis), structure
        structure = resolution.structure
        assert structure is not None
        if structure.composition not in self._compositions:
            return Identity((), NO_IDENTITY_BASIS), structure
        stripped = bool(structure.removed or structure.neutralized)
        drawn_alike = self._skeletons.get(structure.stereo_removed_smiles, ())
        if drawn_alike:  # same canonical skeleton: no InChI needed
            same = tuple(i for i in drawn_alike if self.structures[i].smiles == structure.smiles)
            if same:
                basis = ControlBasis.SALT if stripped else ControlBasis.LISTED
                return Identity(same[:1], basis), structure
            basis = (
                ControlBasis.SALT if stripped and not structure.has_stereo else ControlBasis.ISOMER
            )
            return Identity(drawn_alike, basis), structure
        exact = self._inchikeys.get(structure.inchikey)  # e.g. another tautomer drawn
        if exact is not None:
            return Identity(
                (exact,), ControlBasis.SALT if stripped else ControlBasis.LISTED
            ), structure
        same_skeleton = self._connectivity.get(structure.connectivity, ())
        if same_skeleton:
            basis = ControlBasis.SALT if structure.removed else ControlBasis.ISOMER
            if structure.removed and structure.has_stereo:
                basis = ControlBasis.ISOMER
            return Identity(same_skeleton, basis), structure
        return Identity((), NO_IDENTITY_BASIS), structure
