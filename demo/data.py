"""The seed seminar "Deep Generative Diffusion Models" as published, with invented people.

Dates are those of the 2023 run; demo.loader shifts them for the `--today` copy.
"""

import datetime as dt

TITLE = "Deep Generative Diffusion Models"
TAG = "DeepDiffusion"
PASSWORD = "diffusion-demo"  # every demo account; printed by seed_demo

PROFESSOR = ("helena.brandt@example.org", "Helena Brandt", "Prof. Dr. Helena Brandt", "HB")
SUPERVISORS = [
    ("greta.gruber@example.org", "Greta Gruber", "Greta Gruber, MSc", "GG"),
    ("moritz.bauer@example.org", "Moritz Bauer", "Dr. Moritz Bauer", "MB"),
]
STUDENTS = [  # (e-mail local part, name, matriculation number, degree level, programme)
    ("alex.kramer", "Alex Kramer", "2570101", "master", "Computer Science"),
    ("bea.lindholm", "Bea Lindholm", "2570102", "master", "Data Science and AI"),
    ("chidi.okafor", "Chidi Okafor", "2570103", "bachelor", "Computer Science"),
    ("dana.petrov", "Dana Petrov", "2570104", "graduate", "Computer Science"),
    ("emil.sorensen", "Emil Sørensen", "2570105", "master", "Visual Computing"),
    ("farah.haddad", "Farah Haddad", "2570106", "master", "Bioinformatics"),
    ("goran.ilic", "Goran Ilić", "2570107", "master", "Computer Science"),
    ("hana.sato", "Hana Sato", "2570108", "bachelor", "Mathematics"),
    ("ivo.marques", "Ivo Marques", "2570109", "master", "Computer Science"),
    ("jana.novak", "Jana Novak", "2570110", "graduate", "Bioinformatics"),
    ("kofi.mensah", "Kofi Mensah", "2570111", "master", "Data Science and AI"),
    ("lea.fischer", "Lea Fischer", "2570112", "master", "Computer Science"),
]

KICKOFF = (dt.date(2023, 1, 9), dt.time(14, 15), "328 (E 1.3)")
SESSIONS = [(dt.date(2023, 3, 6), dt.time(9, 30)), (dt.date(2023, 3, 7), dt.time(9, 30))]
SESSION_ROOM = "1.06 (E1.1)"
PREFERENCE_DEADLINE = dt.date(2023, 1, 13)  # the Friday after the kick-off, 23:59
EXAM_REGISTRATION = dt.date(2023, 1, 30)
MOCK_DUE = dt.date(2023, 3, 5)
REGISTRATION_OPENS = dt.datetime(2022, 10, 1, 9, 0)
REGISTRATION_CLOSES = dt.datetime(2023, 1, 9, 14, 15)

OVERVIEW = (
    "Diffusion models are a powerful machine learning tool and a thriving area of research. "
    "They enable the generation of new samples with extraordinary and unprecedented quality. "
    "This seminar explores the theoretical foundations rooted in the theory of stochastic "
    "processes and explores their potential in various domains."
)
BACKGROUND = "General background knowledge in deep learning is recommended."
ELIGIBILITY = "bachelor/master/graduate students of computer science and related courses"
REQUIREMENTS = """attend both sessions;
give a presentation (with a passing grade);
give an ungraded mock presentation;
participate in discussions;
submit reports (with a passing grade);
read the papers and watch the videos on the Compulsory Reading List;
pass the practical project."""
PRESENTATION = (
    "Identify the key ideas and concepts and give a self-consistent presentation explaining "
    "these concepts to your fellow students."
)
CRITERIA = [
    "The goal is to tell a (self-consistent and entertaining) story - not to convince us that "
    "you understand the paper.",
    "Put time and effort into creating visualizations and preparing (running) examples.",
    "Prioritize concreteness, simplicity, and clarity.",
    "Focus on intuition, high-level understanding, and contextualization, not on technical "
    "details.",
    "Don't overcrowd your slides. Try to avoid full sentences and be cautious with bullet points.",
    "Explore and include supplementary material where it seems useful (literature, youtube, "
    "GitHub, medium articles, OpenReview, etc.).",
    "Use equations only when necessary; use color-coded equations to improve their readability.",
    "Be critical of the authors' claims, don't fall for overselling.",
    "Use slide numbers.",
    "Keep to the time: about 20 minutes, never longer than 25.",
]
MOCK = "You can meet in our seminar room or online (Zoom/Teams)."
REPORTS = (
    "You can choose freely from the twelve topics (you may also choose your own topic). The "
    "report should contain a short summary of (what you consider to be) the main contribution or "
    "most intriguing idea of the paper. Otherwise, you can freely express your own thoughts on "
    "the topic. For instance: What did you like/dislike about the paper (both methodically and "
    "didactically)? What are connections to other seminar papers? Can you suggest improvements? "
    "What do you think is missing? You can use the NeurIPS format (activate the preprint flag) or "
    "any other reasonable format (don't write an abstract). Please use a spell and grammar checker "
    "before submitting. Reports go to your supervisor."
)
DISCUSSIONS = (
    "Read each presented paper in advance (of course, we do not expect you to understand them "
    "entirely) and actively participate in the discussion."
)
PROJECT_SPEC_URL = "https://example.org/deep-diffusion/project-specification"

ARXIV = "https://arxiv.org/abs/"
# (title, year, arXiv id, supervisor initials, mock group, session index, slot, materials)
TOPICS = [
    ("Generative Modeling by Estimating Gradients of the Data Distribution", 2019, "1907.05600", "GG", 1, 0, 1, [1, 2, 3]),
    ("Permutation Invariant Graph Generation via Score-Based Generative Modeling", 2020, "2003.00638", "MB", 2, 0, 2, [1, 2, 7, 8]),
    ("Denoising Diffusion Probabilistic Models", 2020, "2006.11239", "GG", 3, 0, 3, [4, 5, 6]),
    ("Score-Based Generative Modeling through Stochastic Differential Equations", 2021, "2011.13456", "MB", 1, 0, 4, [1, 2, 7, 30]),
    ("High-resolution image synthesis with latent diffusion models", 2022, "2112.10752", "GG", 3, 0, 5, [10, 11, 12, 30]),
    ("Equivariant diffusion for molecule generation in 3D", 2022, "2203.17003", "MB", 4, 0, 6, [17, 26, 27]),
    ("DiGress: Discrete Denoising diffusion for graph generation", 2022, "2209.14734", "GG", 2, 1, 1, [7, 13, 14]),
    ("Structure-based Drug Design with Equivariant Diffusion Models", 2022, "2210.13695", "MB", 2, 1, 2, [15, 16, 17, 18]),
    ("3D Shape Generation and Completion through Point-Voxel Diffusion", 2022, "2104.03670", "GG", 4, 1, 3, [19, 20]),
    ("Diffusion probabilistic modeling of protein backbones in 3D for the motif-scaffolding problem", 2022, "2206.04119", "MB", 4, 1, 4, [17, 21, 22, 23]),
    ("Make-A-Video: Text-to-Video Generation without Text-Video Data", 2022, "2209.14792", "GG", 3, 1, 5, [10, 12, 24, 25]),
    ("Continuous diffusion for categorical data", 2022, "2211.15089", "MB", 1, 1, 6, [2, 27, 28]),
]  # fmt: skip

# (title, link or "", marker); numbered 1..30 in this order. The seed page refers to the
# entry marked "F" as [..., F] in the reading list.
MATERIALS = [
    ("A Pedagogical Introduction to Score Models", "", ""),
    ("Generative Modeling by Estimating Gradients of the Data Distribution", ARXIV + "1907.05600", ""),
    ("Improved Techniques for Training Score-Based Generative Models", ARXIV + "2006.09011", ""),
    ("Improved Denoising Diffusion Probabilistic Models", ARXIV + "2102.09672", ""),
    ("Diffusion Models Beat GANs on Image Synthesis", ARXIV + "2105.05233", ""),
    ("Ultimate Guide to Diffusion Models - ML Coding Series", "", ""),
    ("A Gentle Introduction to Graph Neural Networks", "https://distill.pub/2021/gnn-intro/", ""),
    ("Score-based Generative Modeling of Graphs via the System of Stochastic Differential Equations", ARXIV + "2202.02514", ""),
    ("Monte Carlo Methods (Chapter 4, Random Process Generation)", "", ""),
    ("U-Net: Convolutional Networks for Biomedical Image Segmentation", ARXIV + "1505.04597", ""),
    ("Stable Diffusion - What, Why, How?", "", ""),
    ("Learning Transferable Visual Models From Natural Language Supervision", ARXIV + "2103.00020", ""),
    ("DiGress: Discrete Denoising Diffusion for Graph Generation - Clément Vignac", "", ""),
    ("A Generalization of Transformer Networks to Graphs", ARXIV + "2012.09699", ""),
    ("T015 - Protein ligand docking", "", ""),
    ("Exploiting Symmetries in Inference and Learning", "", ""),
    ("An introduction to E(3)-invariant graph neural networks (this is WIP)", "", ""),
    ("Pocket2Mol: Efficient Molecular Sampling Based on 3D Protein Pockets", ARXIV + "2205.07249", ""),
    ("Project Website", "", ""),
    ("Point-Voxel CNN for Efficient 3D Deep Learning", ARXIV + "1907.03739", ""),
    ("Protein Structure and Folding", "", ""),
    ("Diffusion probabilistic modelling of protein backbones in 3D - Jason Yim & Brian Trippe", "", ""),
    ("Robust deep learning based protein sequence design using ProteinMPNN", "", ""),
    ("Movie Diffusion explained - Make-a-Video from MetaAI and Imagen Video from Google Brain", "", ""),
    ("Video Diffusion Models", ARXIV + "2204.03458", ""),
    ("Talkturial: Molecular representations (this is WIP)", "", ""),
    ("Torsional Diffusion for Molecular Conformer Generation - Gabriele Corso & Bowen Jing", "", ""),
    ("Attention Is All You Need", ARXIV + "1706.03762", ""),
    ("BERT Neural Network - EXPLAINED!", "", ""),
    ("Elucidating the Design Space of Diffusion-Based Generative Models", ARXIV + "2206.00364", "F"),
]  # fmt: skip
